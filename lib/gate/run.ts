/**
 * One run of the guardrail over a graph: the facts context, the rules of the
 * registry (or a selection), the report. What the CLI, both gates and the
 * documentation command share.
 */
import { withDeclarationsFile } from '../input/provider-declarations';
import { useInferenceProfileCatalog } from '../catalogs';
import { AnalysisContext, createAnalysisContext } from '../analysis/context';
import type { ResourceGraph } from '../core/graph';
import { EXISTENCE_UNKNOWN, NOT_INSPECTED, Report, evaluate } from '../engine/evaluate';
import { InputKind, loadInput } from '../input/load';
import type { GuardrailPolicy, SuppressionSpec } from '../policy/policy';
import { ALL_RULES } from '../rules';
import type { Rule } from '../rules/rule';

export interface RunOptions {
  /** Rules to run. @default - every rule of the registry */
  readonly rules?: readonly Rule[];
  /** "Today" for acknowledgement expiry, as YYYY-MM-DD. @default - the current UTC date */
  readonly today?: string;
  /** Acknowledgements from outside the policy (the frameworks' own mechanisms), same shape. */
  readonly extraSuppressions?: readonly SuppressionSpec[];
  /**
   * An inference-profile catalog read from the account (`llm-guardrail catalog
   * refresh aws`), used before the built-in one.
   * @default - the policy's `inferenceProfileCatalog`, else the built-in catalog
   */
  readonly catalog?: string;
}

export interface Run {
  /** The facts of the run: hand it to the documentation so it reads the same facts the rules judged. */
  readonly context: AnalysisContext;
  readonly report: Report;
}

/** Judges a graph against a policy. */
export function runGuardrail(graph: ResourceGraph, policy: GuardrailPolicy, options: RunOptions = {}): Run {
  useInferenceProfileCatalog(options.catalog ?? policy.inferenceProfileCatalog);
  // The providers the policy declares (a declarations file beside it) are judged with the app's own.
  const context = createAnalysisContext(withDeclarationsFile(graph, policy.providersFile), policy, options.today);
  const report = evaluate(context, {
    rules: options.rules ?? ALL_RULES,
    knownRuleIds: [...ALL_RULES.map((rule) => rule.id), NOT_INSPECTED, EXISTENCE_UNKNOWN],
    // What a selection of rules leaves unread says nothing about the input.
    coverage: options.rules === undefined,
    today: options.today,
    extraSuppressions: options.extraSuppressions,
  });
  return { context, report };
}

/** Checks a synthesized output (or a template, Terraform JSON or plan) against a policy. */
export function checkPath(inputPath: string, policy: GuardrailPolicy, options: RunOptions = {}): Report & { kind: InputKind } {
  const { kind, graph } = loadInput(inputPath);
  return { ...runGuardrail(graph, policy, options).report, kind };
}

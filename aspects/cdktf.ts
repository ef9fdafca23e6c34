/**
 * The compliance gate for CDK for Terraform: one call makes `app.synth()`
 * (and so `cdktf synth`) fail when the synthesized Terraform breaks the
 * policy, and writes the findings next to each stack's output.
 *
 * It is a thin adapter: it hands the stack's fully resolved Terraform JSON to
 * the same engine the CLI runs on a `cdktf.out`, so escape hatches
 * (`addOverride` on a resource or on the stack), raw provider resources and
 * third-party constructs are judged exactly like ours.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AnnotationMetadataEntryType, Annotations, App, Aspects, IAspect, TerraformStack } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct, IConstruct } from 'constructs';
import { POLICY_CONTEXT_KEY, policyFromProjectContext } from '../lib/gate/check';
import { InputError } from '../lib/core/errors';
import { Finding, Report, evaluate } from '../lib/engine/evaluate';
import { ResourceGraph, StackInfo } from '../lib/core/graph';
import { resourcesFromTerraform } from '../lib/input/terraform';
import { GuardrailPolicy } from '../lib/policy/policy';
import { renderJson } from '../lib/reports/json';
import { writeDataFlowDocumentation } from '../lib/docs';
import type { Rule } from '../lib/rules/rule';

/** File written next to each stack's `cdk.tf.json`. */
export const CDKTF_REPORT_FILE = 'llm-guardrail-report.json';

/** Id of the construct the gate adds to each stack it judges. */
export const CDKTF_GATE_ID = 'LlmGuardrailGate';

export interface CdktfGuardrailProps {
  /**
   * The policy: a {@link GuardrailPolicy}, a preset name (`eu`, `us-hipaa`,
   * `soc2`) or a path to a JSON/YAML policy file (relative to the working
   * directory).
   * @default - the `llm-guardrail:policy` context value (set in `cdktf.json`
   * "context" or the App's `context`), else the one in ./cdktf.json
   */
  readonly policy?: GuardrailPolicy | string;
  /**
   * Rules to run.
   * @default - every rule of the registry
   */
  readonly rules?: readonly Rule[];
  /**
   * "Today" for acknowledgement expiry, as YYYY-MM-DD.
   * @default - the current UTC date
   */
  readonly today?: string;
  /**
   * Whether to write the data-flow documentation (data-flow.md, .json, .html)
   * next to each stack's `cdk.tf.json` at every synthesis.
   * @default true
   */
  readonly dataFlowDocs?: boolean;
  /**
   * Whether the documentation written at synthesis includes the self-contained
   * HTML page (about 3.6 MB per stack, Mermaid inlined). `llm-guardrail docs`
   * always writes it.
   * @default false
   */
  readonly dataFlowHtml?: boolean;
}

/**
 * The CDKTF synth gate. Enable it with {@link CdktfGuardrail.enable} on an
 * `App` (every stack) or on one `TerraformStack`.
 *
 * Each stack is judged at its own synthesis, after every aspect of the stack
 * (mutating ones included) has run: the gate registers a synthesis hook on a
 * child construct, which cdktf calls after aspects and before it collects
 * annotations. Error findings become error annotations on the offending
 * resource's construct, so `App.synth()` throws and the `cdktf synth` CLI
 * exits 1; warnings become warning annotations. Each stack is judged as a
 * graph of its own (later stacks have not run their aspects yet): references
 * between stacks go through remote state and are unresolved anyway, but a rule
 * that relates resources by attribute (a project id, say) sees only the stack,
 * where the CLI on a cdktf.out sees every stack at once.
 */
export class CdktfGuardrail implements IAspect {
  /**
   * Enables the gate on an App or a stack. Resolves the policy now, so a
   * missing or broken policy fails before any synthesis.
   */
  static enable(scope: IConstruct, props: CdktfGuardrailProps = {}): CdktfGuardrail {
    const isApp = App.isApp(scope);
    if (!isApp && !TerraformStack.isStack(scope)) {
      throw new Error(`${describeScope(scope)}: the LLM guardrail is enabled on an App or a TerraformStack, not on a construct inside a stack (fix: pass the App or the stack)`);
    }
    const covered = isApp ? [scope, ...scope.node.findAll().filter(TerraformStack.isStack)] : [scope];
    const existing = covered.find((construct) => Aspects.of(construct).all.some((aspect) => aspect instanceof CdktfGuardrail));
    if (existing) {
      throw new Error(`${describeScope(existing)}: the LLM guardrail is already enabled for it (directly or through its App) (fix: call CdktfGuardrail.enable once, on the App or on each stack)`);
    }
    const gate = new CdktfGuardrail(resolveGuardrailPolicy(scope, props.policy), props);
    Aspects.of(scope).add(gate);
    if (isApp) gate.coverStacksOf(scope);
    return gate;
  }

  /** The policy every stack under the scope is judged against. */
  readonly policy: GuardrailPolicy;
  private readonly props: CdktfGuardrailProps;
  private readonly reports = new Map<string, Report>();
  /** Annotations already added, per construct: aspects and synthesis hooks run again on every `synth()`. */
  private readonly annotated = new WeakMap<IConstruct, Set<string>>();

  private constructor(policy: GuardrailPolicy, props: CdktfGuardrailProps) {
    this.policy = policy;
    this.props = props;
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const present = node.node.tryFindChild(CDKTF_GATE_ID);
    if (present) {
      if (!(present instanceof GateHook) || present.gate !== this) {
        Annotations.of(node).addError(`The LLM guardrail is enabled twice for stack "${node.node.id}" (on the App and on the stack). Fix: enable it once, on the App or on each stack.`);
      }
      return;
    }
    const hook = new GateHook(node, this);
    addCustomSynthesis(hook, {
      onSynthesize: (session) => {
        const manifest = session.manifest.forStack(node);
        this.judge(node, path.join(session.outdir, manifest.workingDirectory), path.join(session.outdir, manifest.synthesizedStackPath));
      },
    });
  }

  /**
   * cdktf 0.21 invokes only the aspects of each stack and its children, never
   * those of the App: so the gate adds itself to every stack of the App, now
   * and again when `synth()` starts (for stacks created after `enable`).
   */
  private coverStacksOf(app: App): void {
    const cover = (): void => {
      for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
        if (!Aspects.of(stack).all.includes(this)) Aspects.of(stack).add(this);
      }
    };
    cover();
    const synth = app.synth.bind(app);
    app.synth = (): void => {
      cover();
      synth();
    };
  }

  /** The report of the last synthesis of a stack (by stack id), if it has been judged. */
  reportFor(stackId: string): Report | undefined {
    return this.reports.get(stackId);
  }

  private judge(stack: TerraformStack, directory: string, file: string): void {
    const info: StackInfo = {
      name: stack.node.id,
      format: 'terraform',
      file,
      path: stack.node.path,
    };
    // The stack's own rendering: resource-level and stack-level overrides included.
    const document = stack.toTerraform();
    const graph = new ResourceGraph([info], resourcesFromTerraform(document, info));
    const report = evaluate(graph, this.policy, { rules: this.props.rules, today: this.props.today });
    this.reports.set(stack.node.id, report);
    fs.mkdirSync(directory, { recursive: true });
    fs.writeFileSync(path.join(directory, CDKTF_REPORT_FILE), renderJson(report));
    if (this.props.dataFlowDocs !== false) writeDataFlowDocumentation(directory, graph, this.policy, report, { html: this.props.dataFlowHtml === true });

    const byPath = new Map<string, IConstruct>();
    if (report.findings.length > 0) for (const child of stack.node.findAll()) byPath.set(child.node.path, child);
    for (const finding of report.findings) {
      const target = (finding.resource.path && byPath.get(finding.resource.path)) || stack;
      this.annotate(target, annotationText(finding, target === stack), finding.severity);
    }
    shareDocumentWithWriter(stack, document);
  }

  private annotate(target: IConstruct, text: string, severity: Finding['severity']): void {
    let seen = this.annotated.get(target);
    if (!seen) this.annotated.set(target, (seen = new Set()));
    if (seen.has(text)) return;
    seen.add(text);
    if (severity === 'error') Annotations.of(target).addError(text);
    else Annotations.of(target).addWarning(text);
  }
}

/**
 * Synthesizes the App; when the gate (or anything else) fails synthesis,
 * prints the message without a stack trace and exits with code 1, as the
 * `cdktf synth` CLI does. For entry points run directly (`npx tsx main.ts`).
 */
export function synthesizeOrExit(app: App): void {
  try {
    app.synth();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}

/**
 * "[LCG-RES-030] <message> Found: … Expected: … Fix: …". cdktf prefixes the
 * construct path; findings that have none (stack-level ones, resources without
 * metadata) name their resource instead.
 */
export function annotationText(finding: Finding, onStack: boolean): string {
  return onStack && finding.resource.id !== finding.resource.stack ? `[${finding.ruleId}] ${finding.resource.id}: ${finding.message}` : `[${finding.ruleId}] ${finding.message}`;
}

/**
 * The policy for a scope: an explicit policy or reference, else the
 * `llm-guardrail:policy` context, else ./cdktf.json. Throws one clear line
 * when there is none or it is unusable.
 */
export function resolveGuardrailPolicy(scope: IConstruct, policy?: GuardrailPolicy | string): GuardrailPolicy {
  try {
    if (policy instanceof GuardrailPolicy) return policy;
    if (typeof policy === 'string') return GuardrailPolicy.load(policy);
    const fromContext: unknown = scope.node.tryGetContext(POLICY_CONTEXT_KEY);
    if (typeof fromContext === 'string') return GuardrailPolicy.load(fromContext);
    if (fromContext !== undefined) throw new InputError(`context "${POLICY_CONTEXT_KEY}" must be a preset name or a file path, found ${JSON.stringify(fromContext)}`, 'e.g. "eu" or "policy/eu.yaml"');
    const fromProject = policyFromProjectContext(process.cwd());
    if (fromProject) return fromProject;
  } catch (error) {
    if (error instanceof InputError) throw new Error(`${describeScope(scope)}: ${error.line}`);
    throw error;
  }
  throw new Error(
    `${describeScope(scope)}: no LLM guardrail policy (fix: pass { policy: 'eu' } or a policy file, or set "${POLICY_CONTEXT_KEY}" in the cdktf.json context)`,
  );
}

function describeScope(scope: IConstruct): string {
  return scope.node.path === '' ? 'App' : scope.node.path;
}

/**
 * Resolving a stack is most of the cost of synthesis, and cdktf resolves it
 * again to write cdk.tf.json right after the annotations are collected. When
 * that write will happen (no error annotation stops it, JSON output), the
 * document just judged is handed to it once, so the gate does not double the
 * cost of synthesis. The hand-over is removed on first use, and in any case
 * when the synchronous `synth()` returns or throws.
 */
function shareDocumentWithWriter(stack: TerraformStack, document: { [key: string]: unknown }): void {
  const hclOutput = process.env.SYNTH_HCL_OUTPUT === 'true' || process.env.SYNTH_HCL_OUTPUT === '1';
  const continuesOnErrors = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
  if (hclOutput) return;
  if (!continuesOnErrors && stack.node.findAll().some((node) => node.node.metadata.some((entry) => entry.type === AnnotationMetadataEntryType.ERROR))) return;
  const instance = stack as unknown as { toTerraform: () => unknown };
  const restore = (): void => {
    if (Object.prototype.hasOwnProperty.call(instance, 'toTerraform')) delete (instance as { toTerraform?: unknown }).toTerraform;
  };
  instance.toTerraform = () => {
    restore();
    return document;
  };
  queueMicrotask(restore);
}

/** The child construct that carries the synthesis hook (a construct can hold only one). */
class GateHook extends Construct {
  constructor(
    scope: TerraformStack,
    readonly gate: CdktfGuardrail,
  ) {
    super(scope, CDKTF_GATE_ID);
  }
}

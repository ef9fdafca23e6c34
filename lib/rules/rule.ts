import type { AnalysisContext } from '../analysis/context';
import type { DocumentFormat, Resource, StackInfo } from '../core/graph';
import type { Category, Outcome, Severity } from '../core/findings';
import type { FrameworkClause } from '../policy/frameworks';
import type { GuardrailPolicy } from '../policy/policy';

export { CATEGORIES, COMPLIANT } from '../core/findings';
export type { Category, Outcome, Severity, Violation } from '../core/findings';

/** What rules see of a run: the graph, the policy and the shared facts, computed once per run. */
export type RuleContext = AnalysisContext;

/** What a rule is, for findings, reports and the generated RULES.md. */
export interface RuleMetadata {
  /** Permanent id, never reused: `LCG-<CATEGORY>-<NNN>`. */
  readonly id: string;
  readonly title: string;
  readonly category: Category;
  /** Severity of its findings when the policy does not change it (see `severityUnder`). */
  readonly severity: Severity;
  /**
   * The severity under a given policy, when it depends on it (e.g. public
   * network paths are warnings, and errors when the policy requires private
   * paths). RULES.md shows it for every preset.
   * @default - always `severity`
   */
  severityUnder?(policy: GuardrailPolicy): Severity;
  /**
   * Whether the rule runs at all under a policy (e.g. customer-managed key
   * rules only when the policy requires such keys).
   * @default - always
   */
  appliesUnder?(policy: GuardrailPolicy): boolean;
  /** Why it matters, for reviewers. */
  readonly rationale: string;
  /** The general fix; a violation may give a more specific one. */
  readonly remediation: string;
  readonly clauses: readonly FrameworkClause[];
  /** Resource types the rule inspects (`*` for every resource); `stack` rules look at each stack instead. */
  readonly resourceTypes: readonly string[];
  /**
   * The document formats the rule reads; its examples cover each.
   * @default - from `resourceTypes`: CloudFormation for `AWS::`/`Custom::` types, Terraform for provider types (required with `*` and `stack`)
   */
  readonly formats?: readonly DocumentFormat[];
  /** Retired rules stay listed (ids are never reused) but never run. */
  readonly deprecated?: boolean;
}

export interface ResourceRule extends RuleMetadata {
  check(resource: Resource, context: RuleContext): Outcome;
}

export interface StackRule extends RuleMetadata {
  checkStack(stack: StackInfo, context: RuleContext): Outcome;
}

export type Rule = ResourceRule | StackRule;

export function isStackRule(rule: Rule): rule is StackRule {
  return 'checkStack' in rule;
}

/** The document formats a rule reads. */
export function ruleFormats(rule: RuleMetadata): readonly DocumentFormat[] {
  if (rule.formats) return rule.formats;
  const formats = new Set<DocumentFormat>();
  for (const type of rule.resourceTypes) {
    if (/^(AWS|Custom)::/.test(type)) formats.add('cloudformation');
    else if (/^[a-z0-9]+_/.test(type)) formats.add('terraform');
  }
  return (['cloudformation', 'terraform'] as const).filter((format) => formats.has(format));
}

/** The severity a rule's findings have under a policy. */
export function severityOf(rule: RuleMetadata, policy: GuardrailPolicy): Severity {
  return rule.severityUnder ? rule.severityUnder(policy) : rule.severity;
}

/** Whether a rule runs under a policy. */
export function ruleApplies(rule: RuleMetadata, policy: GuardrailPolicy): boolean {
  return !rule.deprecated && (rule.appliesUnder ? rule.appliesUnder(policy) : true);
}

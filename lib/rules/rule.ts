import type { Resource, ResourceGraph, StackInfo } from '../core/graph';
import type { FrameworkClause } from '../policy/frameworks';
import type { GuardrailPolicy } from '../policy/policy';

export const CATEGORIES = ['residency', 'logging', 'retention', 'encryption', 'network', 'identity', 'provider'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Severity = 'error' | 'warning';

/** What a rule is, for findings, reports and the generated RULES.md. */
export interface RuleMetadata {
  /** Permanent id, never reused: `LCG-<CATEGORY>-<NNN>`. */
  readonly id: string;
  readonly title: string;
  readonly category: Category;
  /** Default severity; a violation may lower or raise it (e.g. warnings that become errors under a stricter policy). */
  readonly severity: Severity;
  /** Why it matters, for reviewers. */
  readonly rationale: string;
  /** The general fix; a violation may give a more specific one. */
  readonly remediation: string;
  readonly clauses: readonly FrameworkClause[];
  /** Resource types the rule inspects; `stack` rules look at each stack instead. */
  readonly resourceTypes: readonly string[];
  /** Retired rules stay listed (ids are never reused) but never run. */
  readonly deprecated?: boolean;
}

/** A broken expectation, stated as fact. */
export interface Violation {
  /** What is wrong, one sentence. */
  readonly message: string;
  /** The value found (rendered for people). */
  readonly found: string;
  /** The value expected. */
  readonly expected: string;
  /** A specific fix; defaults to the rule's remediation. */
  readonly fix?: string;
  /** Overrides the rule's default severity. */
  readonly severity?: Severity;
  /** The attribute that holds the offending value, e.g. `Properties.RetentionInDays`. */
  readonly attribute?: string;
}

/** `undefined`: not applicable; `[]`: compliant; otherwise the violations. */
export type Outcome = readonly Violation[] | undefined;

export interface RuleContext {
  readonly graph: ResourceGraph;
  readonly policy: GuardrailPolicy;
  /** Per-run memo for analyses shared by several rules (log roles, logging coverage, …). */
  memo<T>(key: string, compute: () => T): T;
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

/** Shorthand for a rule's compliant outcome. */
export const COMPLIANT: Outcome = [];

/**
 * What a rule says about one resource or stack: the categories and
 * severities findings carry, and a violation stated as fact. Shared by the
 * facts layer (verdicts used by rules and constructs alike), the rules and
 * the engine.
 */

export const CATEGORIES = ['residency', 'logging', 'retention', 'encryption', 'network', 'identity', 'provider', 'coverage'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Severity = 'error' | 'warning';

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
  /**
   * Overrides the rule's severity for this one violation (a lesser sub-case,
   * such as exempted members of an otherwise complete audit configuration).
   * Severities that depend on the policy belong in the rule's `severityUnder`.
   */
  readonly severity?: Severity;
  /** The attribute that holds the offending value, e.g. `Properties.RetentionInDays`. */
  readonly attribute?: string;
  /** `true` when the value needed to judge is unknown (deploy-time, outside the documents): the rule failed closed. */
  readonly cannotVerify?: boolean;
  /**
   * What the violation is about when that is not the resource itself: the
   * model or profile ARN a grant names, the destination a setting points at.
   * The data-flow documentation links the finding to that node by it.
   */
  readonly subject?: string;
}

/** `undefined`: not applicable; `[]`: compliant; otherwise the violations. */
export type Outcome = readonly Violation[] | undefined;

/** Shorthand for a rule's compliant outcome. */
export const COMPLIANT: Outcome = [];

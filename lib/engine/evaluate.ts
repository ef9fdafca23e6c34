import type { AnalysisContext } from '../analysis/context';
import { CFN } from '../analysis/resource-types';
import type { Resource, StackInfo } from '../core/graph';
import type { PolicySummary, SuppressionSpec } from '../policy/policy';
import { Category, Rule, Severity, StackRule, ResourceRule, Violation, isStackRule, ruleApplies, severityOf } from '../rules/rule';

/** The resource a finding is about. */
export interface FindingResource {
  /** Logical id, Terraform address, or stack name for stack-level findings. */
  readonly id: string;
  readonly type: string;
  /** Construct path, when the document has it. */
  readonly path?: string;
  readonly stack: string;
  /** The document it came from. */
  readonly file: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly resource: FindingResource;
  /** "<what is wrong> Found: … Expected: … Fix: …" — the full line shown to people. */
  readonly message: string;
  readonly found: string;
  readonly expected: string;
  readonly fix: string;
  readonly attribute?: string;
  /** `framework: clause` strings. */
  readonly frameworks: readonly string[];
  /** `true` when the rule could not read the value it needed and failed closed ("cannot verify"). */
  readonly cannotVerify: boolean;
  /** What the finding is about when that is not the resource itself (a model ARN a grant names). */
  readonly subject?: string;
  /** Findings about an acknowledgement (LCG-SUP-*): the rule and resource it names. */
  readonly acknowledgement?: { readonly ruleId: string; readonly resource: string; readonly expires?: string };
}

export interface SuppressedFinding extends Finding {
  readonly suppression: SuppressionSpec;
}

export type CheckStatus = 'pass' | 'fail' | 'suppressed';

/** One rule × resource evaluation (JUnit writes one test case each). */
export interface CheckResult {
  readonly ruleId: string;
  readonly resource: FindingResource;
  readonly status: CheckStatus;
}

export interface SuppressionStatus extends SuppressionSpec {
  readonly status: 'active' | 'expired' | 'unused';
  /** How many findings it covered. */
  readonly matched: number;
}

export interface Report {
  readonly policy: PolicySummary;
  /** Unsuppressed findings, errors first, then by rule and resource. */
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly suppressions: readonly SuppressionStatus[];
  readonly checks: readonly CheckResult[];
  readonly summary: {
    readonly errors: number;
    readonly warnings: number;
    readonly suppressed: number;
    readonly stacks: number;
    readonly resources: number;
    readonly rules: number;
    readonly checks: number;
    /** Unsuppressed findings that say "cannot verify": values the guardrail could not read. */
    readonly cannotVerify: number;
  };
}

export interface EvaluateOptions {
  /** The rules to run (the registry, `ALL_RULES`, or a selection): the engine knows none of its own. */
  readonly rules: readonly Rule[];
  /**
   * Ids acknowledgements may name without being "unknown" (a caller running
   * a selection of rules still accepts acknowledgements of the others).
   * @default - the ids of `rules`
   */
  readonly knownRuleIds?: readonly string[];
  /** "Today" for suppression expiry, as YYYY-MM-DD. @default the current UTC date */
  readonly today?: string;
  /** Acknowledgements from outside the policy (e.g. the CDK's own mechanism), same shape. */
  readonly extraSuppressions?: readonly SuppressionSpec[];
}

/** Ids of the engine's own findings about acknowledgements. */
export const SUPPRESSION_EXPIRED = 'LCG-SUP-001';
export const SUPPRESSION_UNUSED = 'LCG-SUP-002';
export const SUPPRESSION_UNKNOWN_RULE = 'LCG-SUP-003';
export const SUPPRESSION_MALFORMED = 'LCG-SUP-004';

/** Titles of the engine's own acknowledgement findings, by id. */
export const SUPPRESSION_FINDING_TITLES: { readonly [id: string]: string } = {
  [SUPPRESSION_EXPIRED]: 'Acknowledgement expired',
  [SUPPRESSION_UNUSED]: 'Acknowledgement matches nothing',
  [SUPPRESSION_UNKNOWN_RULE]: 'Acknowledgement names an unknown rule',
  [SUPPRESSION_MALFORMED]: 'Acknowledgement is malformed',
};

/**
 * Runs every rule over the graph in one pass: each resource is handed only to
 * the rules registered for its type, so the cost is linear in resources.
 */
export function evaluate(context: AnalysisContext, options: EvaluateOptions): Report {
  const { graph, policy } = context;
  const rules = options.rules.filter((rule) => ruleApplies(rule, policy));

  const byType = new Map<string, ResourceRule[]>();
  const stackRules: StackRule[] = [];
  for (const rule of rules) {
    if (isStackRule(rule)) {
      stackRules.push(rule);
      continue;
    }
    for (const type of rule.resourceTypes) {
      let list = byType.get(type);
      if (!list) byType.set(type, (list = []));
      list.push(rule);
    }
  }

  const raw: { rule: Rule; resource: FindingResource; violations: readonly Violation[] }[] = [];
  for (const stack of graph.stacks) {
    for (const rule of stackRules) {
      const outcome = rule.checkStack(stack, context);
      if (outcome) raw.push({ rule, resource: stackResource(stack), violations: outcome });
    }
  }
  const everyType = byType.get('*') ?? [];
  for (const resource of graph.resources) {
    for (const list of [byType.get(resource.type), everyType]) {
      if (!list) continue;
      for (const rule of list) {
        const outcome = rule.check(resource, context);
        if (outcome) raw.push({ rule, resource: findingResource(resource), violations: outcome });
      }
    }
  }

  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const suppressions = [...policy.suppressions, ...(options.extraSuppressions ?? [])];
  const matchedCount = new Map<SuppressionSpec, number>();
  const knownIds = new Set(options.knownRuleIds ?? options.rules.map((rule) => rule.id));
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const checks: CheckResult[] = [];

  for (const { rule, resource, violations } of raw) {
    if (violations.length === 0) {
      checks.push({ ruleId: rule.id, resource, status: 'pass' });
      continue;
    }
    let status: CheckStatus = 'suppressed';
    for (const violation of violations) {
      const finding = toFinding(rule, resource, violation, policy);
      const suppression = suppressions.find((entry) => entry.ruleId === rule.id && matchesResource(entry.resource, resource));
      if (suppression) matchedCount.set(suppression, (matchedCount.get(suppression) ?? 0) + 1);
      if (suppression && suppression.expires >= today) {
        suppressed.push({ ...finding, suppression });
      } else {
        findings.push(finding);
        status = 'fail';
      }
    }
    checks.push({ ruleId: rule.id, resource, status });
  }

  const suppressionStatuses: SuppressionStatus[] = suppressions.map((entry) => {
    const matched = matchedCount.get(entry) ?? 0;
    const expired = entry.expires < today;
    if (!knownIds.has(entry.ruleId)) {
      findings.push(governanceFinding(SUPPRESSION_UNKNOWN_RULE, 'error', entry, options.rules, `Acknowledgement names rule ${entry.ruleId}, which does not exist.`, 'an existing rule id', 'correct the rule id (see RULES.md) or remove the acknowledgement'));
    } else if (expired) {
      findings.push(
        governanceFinding(
          SUPPRESSION_EXPIRED,
          'error',
          entry,
          options.rules,
          `Acknowledgement of ${entry.ruleId} for ${entry.resource} expired on ${entry.expires}.`,
          `an expiry date on or after ${today}`,
          'fix the finding, or renew the acknowledgement with a new reason and date',
        ),
      );
    } else if (matched === 0) {
      findings.push(governanceFinding(SUPPRESSION_UNUSED, 'warning', entry, options.rules, `Acknowledgement of ${entry.ruleId} for ${entry.resource} matches no finding.`, 'an acknowledgement that covers a finding', 'remove it, or correct the resource name'));
    }
    return { ...entry, status: !knownIds.has(entry.ruleId) ? 'unused' : expired ? 'expired' : matched === 0 ? 'unused' : 'active', matched };
  });

  findings.sort(compareFindings);
  suppressed.sort(compareFindings);
  return {
    policy: policy.toJSON(),
    findings,
    suppressed,
    suppressions: suppressionStatuses,
    checks,
    summary: {
      errors: findings.filter((finding) => finding.severity === 'error').length,
      warnings: findings.filter((finding) => finding.severity === 'warning').length,
      suppressed: suppressed.length,
      stacks: graph.stacks.length,
      resources: graph.resources.length,
      rules: rules.length,
      checks: checks.length,
      cannotVerify: findings.filter((finding) => finding.cannotVerify).length,
    },
  };
}

/** Whether an acknowledgement's resource selector covers a resource. */
export function matchesResource(selector: string, resource: FindingResource): boolean {
  if (selector === resource.id || selector === `${resource.stack}/${resource.id}` || selector === resource.path) return true;
  if (selector.endsWith('/*') && resource.path) return resource.path.startsWith(selector.slice(0, -1));
  return false;
}

function toFinding(rule: Rule, resource: FindingResource, violation: Violation, policy: AnalysisContext['policy']): Finding {
  const fix = violation.fix ?? rule.remediation;
  return {
    ruleId: rule.id,
    title: rule.title,
    severity: violation.severity ?? severityOf(rule, policy),
    category: rule.category,
    resource,
    message: `${violation.message} Found: ${violation.found}. Expected: ${violation.expected}. Fix: ${fix}`,
    found: violation.found,
    expected: violation.expected,
    fix,
    attribute: violation.attribute,
    frameworks: rule.clauses.map((clause) => `${clause.framework}: ${clause.clause}`),
    cannotVerify: violation.cannotVerify === true,
    ...(violation.subject !== undefined ? { subject: violation.subject } : {}),
  };
}

function governanceFinding(ruleId: string, severity: Severity, entry: SuppressionSpec, rules: readonly Rule[], message: string, expected: string, fix: string): Finding {
  const rule = rules.find((candidate) => candidate.id === entry.ruleId);
  return {
    ruleId,
    title: SUPPRESSION_FINDING_TITLES[ruleId],
    severity,
    category: rule?.category ?? 'provider',
    resource: { id: entry.resource, type: 'acknowledgement', stack: '', file: '' },
    message: `${message} Found: ${JSON.stringify({ ruleId: entry.ruleId, resource: entry.resource, expires: entry.expires, reason: entry.reason })}. Expected: ${expected}. Fix: ${fix}`,
    found: `expires ${entry.expires}`,
    expected,
    fix,
    frameworks: [],
    cannotVerify: false,
    acknowledgement: { ruleId: entry.ruleId, resource: entry.resource, expires: entry.expires },
  };
}

/** What stack-level findings of a Terraform configuration name as their type. */
export const TERRAFORM_STACK = 'terraform stack';

function findingResource(resource: Resource): FindingResource {
  return { id: resource.id, type: resource.type, path: resource.path, stack: resource.stack.name, file: resource.stack.file };
}

function stackResource(stack: StackInfo): FindingResource {
  return {
    id: stack.name,
    type: stack.format === 'cloudformation' ? CFN.stack : TERRAFORM_STACK,
    path: stack.path,
    stack: stack.name,
    file: stack.file,
  };
}

function compareFindings(a: Finding, b: Finding): number {
  if (a.severity !== b.severity) return a.severity === 'error' ? -1 : 1;
  return a.ruleId.localeCompare(b.ruleId) || a.resource.stack.localeCompare(b.resource.stack) || a.resource.id.localeCompare(b.resource.id) || a.message.localeCompare(b.message);
}

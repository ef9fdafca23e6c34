import type { GuardrailPolicy, SuppressionSpec } from '../policy/policy';
import { ALL_RULES } from '../rules';
import { Category, Rule, RuleContext, Severity, StackRule, ResourceRule, Violation, isStackRule } from '../rules/rule';
import { Resource, ResourceGraph, StackInfo } from '../core/graph';

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
  readonly policy: object;
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
  };
}

export interface EvaluateOptions {
  /** Rules to run. @default ALL_RULES */
  readonly rules?: readonly Rule[];
  /** "Today" for suppression expiry, as YYYY-MM-DD. @default the current UTC date */
  readonly today?: string;
  /** Acknowledgements from outside the policy (e.g. the CDK's own mechanism), same shape. */
  readonly extraSuppressions?: readonly SuppressionSpec[];
}

/** Ids of the engine's own findings about acknowledgements. */
export const SUPPRESSION_EXPIRED = 'LCG-SUP-001';
export const SUPPRESSION_UNUSED = 'LCG-SUP-002';
export const SUPPRESSION_UNKNOWN_RULE = 'LCG-SUP-003';

/**
 * Runs every rule over the graph in one pass: each resource is handed only to
 * the rules registered for its type, so the cost is linear in resources.
 */
export function evaluate(graph: ResourceGraph, policy: GuardrailPolicy, options: EvaluateOptions = {}): Report {
  const rules = (options.rules ?? ALL_RULES).filter((rule) => !rule.deprecated);
  const context = ruleContext(graph, policy);

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
  const knownIds = new Set(ALL_RULES.map((rule) => rule.id));
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
      const finding = toFinding(rule, resource, violation);
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
      findings.push(governanceFinding(SUPPRESSION_UNKNOWN_RULE, 'error', entry, `Acknowledgement names rule ${entry.ruleId}, which does not exist.`, 'an existing rule id', 'correct the rule id (see RULES.md) or remove the acknowledgement'));
    } else if (expired) {
      findings.push(
        governanceFinding(
          SUPPRESSION_EXPIRED,
          'error',
          entry,
          `Acknowledgement of ${entry.ruleId} for ${entry.resource} expired on ${entry.expires}.`,
          `an expiry date on or after ${today}`,
          'fix the finding, or renew the acknowledgement with a new reason and date',
        ),
      );
    } else if (matched === 0) {
      findings.push(governanceFinding(SUPPRESSION_UNUSED, 'warning', entry, `Acknowledgement of ${entry.ruleId} for ${entry.resource} matches no finding.`, 'an acknowledgement that covers a finding', 'remove it, or correct the resource name'));
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
    },
  };
}

/** A fresh context for rules (and analyses shared with them, like log roles) over one graph. */
export function ruleContext(graph: ResourceGraph, policy: GuardrailPolicy): RuleContext {
  const memo = new Map<string, unknown>();
  return {
    graph,
    policy,
    memo<T>(key: string, compute: () => T): T {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as T;
    },
  };
}

/** Whether an acknowledgement's resource selector covers a resource. */
export function matchesResource(selector: string, resource: FindingResource): boolean {
  if (selector === resource.id || selector === `${resource.stack}/${resource.id}` || selector === resource.path) return true;
  if (selector.endsWith('/*') && resource.path) return resource.path.startsWith(selector.slice(0, -1));
  return false;
}

function toFinding(rule: Rule, resource: FindingResource, violation: Violation): Finding {
  const fix = violation.fix ?? rule.remediation;
  return {
    ruleId: rule.id,
    title: rule.title,
    severity: violation.severity ?? rule.severity,
    category: rule.category,
    resource,
    message: `${violation.message} Found: ${violation.found}. Expected: ${violation.expected}. Fix: ${fix}`,
    found: violation.found,
    expected: violation.expected,
    fix,
    attribute: violation.attribute,
    frameworks: rule.clauses.map((clause) => `${clause.framework}: ${clause.clause}`),
  };
}

function governanceFinding(ruleId: string, severity: Severity, entry: SuppressionSpec, message: string, expected: string, fix: string): Finding {
  const rule = ALL_RULES.find((candidate) => candidate.id === entry.ruleId);
  return {
    ruleId,
    title: ruleId === SUPPRESSION_EXPIRED ? 'Acknowledgement expired' : ruleId === SUPPRESSION_UNUSED ? 'Acknowledgement matches nothing' : 'Acknowledgement names an unknown rule',
    severity,
    category: rule?.category ?? 'provider',
    resource: { id: entry.resource, type: 'acknowledgement', stack: '', file: '' },
    message: `${message} Found: ${JSON.stringify({ ruleId: entry.ruleId, resource: entry.resource, expires: entry.expires, reason: entry.reason })}. Expected: ${expected}. Fix: ${fix}`,
    found: `expires ${entry.expires}`,
    expected,
    fix,
    frameworks: [],
  };
}

function findingResource(resource: Resource): FindingResource {
  return { id: resource.id, type: resource.type, path: resource.path, stack: resource.stack.name, file: resource.stack.file };
}

function stackResource(stack: StackInfo): FindingResource {
  return {
    id: stack.name,
    type: stack.format === 'cloudformation' ? 'AWS::CloudFormation::Stack' : 'terraform stack',
    path: stack.path,
    stack: stack.name,
    file: stack.file,
  };
}

function compareFindings(a: Finding, b: Finding): number {
  if (a.severity !== b.severity) return a.severity === 'error' ? -1 : 1;
  return a.ruleId.localeCompare(b.ruleId) || a.resource.stack.localeCompare(b.resource.stack) || a.resource.id.localeCompare(b.resource.id) || a.message.localeCompare(b.message);
}

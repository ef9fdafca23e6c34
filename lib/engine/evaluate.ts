import type { AnalysisContext } from '../analysis/context';
import { CFN } from '../analysis/resource-types';
import type { Resource, ResourceGraph, SourceLocation, StackInfo, VariableUse } from '../core/graph';
import type { Unresolved } from '../core/values';
import type { PolicySummary, SuppressionSpec } from '../policy/policy';
import { Category, Rule, Severity, StackRule, ResourceRule, Violation, isStackRule, ruleApplies, severityOf } from '../rules/rule';
import { ResourceFamily, TERRAFORM_MODULE_TYPE, deployedTemplate, isOutOfScopeResource, provisionsAi, readOneByOne, readsResource, resourceFamily } from '../analysis/coverage';
import type { NotInspectedMode } from '../policy/policy';

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
  /** The app line that created it, for findings, when the input records creation traces. */
  readonly source?: SourceLocation;
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
  /** Terraform directories: the variables the found value came from, and where each was set. */
  readonly variables?: readonly VariableUse[];
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
    /** Resources a rule judged, or of a type the rules and their facts read. */
    readonly judged: number;
    /** Resources of a type that cannot carry prompts, responses, model choices or their logs. */
    readonly outOfScope: number;
    /** Resources nobody read: listed in `notInspected`, errors (LCG-COV-001) as the policy's `notInspected` says. */
    readonly notInspected: number;
  };
  /** Every resource the guardrail did not read, with the family of its type. */
  readonly notInspected: readonly NotInspectedResource[];
}

/** A resource the guardrail did not read. */
export interface NotInspectedResource {
  readonly resource: FindingResource;
  /** `ai`, `compute`, `storage`, `identity`, `logging`, `custom`, `terraform-module` or `other`. */
  readonly family: ResourceFamily;
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
  /**
   * Whether resources nobody read become LCG-COV-001 findings (as the policy's
   * `notInspected` says). A caller running a selection of rules turns it off:
   * what that selection does not read says nothing about the input.
   * @default true
   */
  readonly coverage?: boolean;
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

/** The engine's own finding about resources nobody read. */
export const NOT_INSPECTED = 'LCG-COV-001';

/** What LCG-COV-001 is, for findings, reports and RULES.md (the engine raises it, after every rule has run). */
export const NOT_INSPECTED_RULE: ResourceRule = {
  id: NOT_INSPECTED,
  title: 'Resources the guardrail cannot read do not pass unread',
  category: 'coverage',
  severity: 'error',
  rationale:
    'A compliance gate that says nothing about a resource it cannot read tells a reviewer "checked" about what nobody checked. Every resource is judged by a rule, out of scope (its type cannot carry prompts, responses, model choices or their logs), or not inspected; not-inspected resources of AI services (and Terraform modules the guardrail does not expand, and nested stacks whose template the input does not hold) fail the gate by default, and every report lists all of them.',
  remediation:
    'Check the resource by hand and acknowledge LCG-COV-001 for it with a reason and an expiry date, or set the policy\'s notInspected to "none" to only list such resources; for a Terraform module, check the plan JSON (terraform show -json) instead.',
  clauses: [],
  resourceTypes: ['*'],
  formats: ['cloudformation', 'terraform'],
  check: () => undefined,
};

/** The engine's own finding about resources whose existence is known only at deploy or plan time. */
export const EXISTENCE_UNKNOWN = 'LCG-COV-002';

/** What LCG-COV-002 is, for findings, reports and RULES.md (the engine raises it, after every rule has run). */
export const EXISTENCE_UNKNOWN_RULE: ResourceRule = {
  id: EXISTENCE_UNKNOWN,
  title: 'Resources whose existence is known only at deploy or plan time do not count as present',
  category: 'coverage',
  severity: 'error',
  rationale:
    'A resource with a Terraform `count` or `for_each` the guardrail cannot evaluate before plan, or a CloudFormation resource whose `Condition` depends on a parameter, may be created or not: a diagnostic setting switched by a variable with no value may not exist, a trail created only when a parameter says "prod" may be none, and a private endpoint for each of an unknown set may be none. Counting it as present would pass what may be missing: the resource is judged as if it existed, and this finding, an error, keeps the gate from passing on it until its existence is known. (A CloudFormation condition that is false removes the resource, as CloudFormation does.)',
  remediation:
    'Give the variables that decide the count a value (terraform.tfvars, a *.auto.tfvars file, --var-file or --var), or check the plan JSON (terraform show -json), which holds the instances Terraform will create; for CloudFormation, decide the condition at synthesis (a context value or an environment rather than a parameter), or acknowledge the finding for the deployments that pass the parameter.',
  clauses: [],
  resourceTypes: ['*'],
  formats: ['cloudformation', 'terraform'],
  check: () => undefined,
};

/** Whether a not-inspected resource of a family fails the gate under a policy setting. */
/**
 * Families that may deploy or carry model calls in ways no rule for every
 * resource (a location, a key) can see: only rules for their own types judge
 * them, and under `notInspected: ai-services` (the default) one nobody read fails.
 */
const ONLY_OWN_RULES_JUDGE: ReadonlySet<ResourceFamily> = new Set(['ai', 'terraform-module', 'nested-stack']);

function failsWhenNotInspected(mode: NotInspectedMode, family: ResourceFamily): boolean {
  if (mode === 'all') return true;
  if (mode === 'none') return false;
  return ONLY_OWN_RULES_JUDGE.has(family);
}

function notInspectedViolation(resource: Resource, family: ResourceFamily): Violation {
  if (family === 'terraform-module') {
    return {
      message: `Cannot verify Terraform module "${resource.id}": the guardrail does not expand modules, and what the module deploys is not in this document.`,
      found: `module ${resource.id} (source ${describeSource(resource)})`,
      expected: 'every resource in the documents the guardrail reads',
      fix: 'run `terraform plan -out plan.out && terraform show -json plan.out > plan.json` and check plan.json, which holds the resources of every module',
      cannotVerify: true,
    };
  }
  if (family === 'nested-stack') {
    return {
      message: `Cannot verify nested stack "${resource.id}": ${resource.unread}, so what it deploys was not read.`,
      found: `TemplateURL = ${describeSource(resource, 'TemplateURL')}`,
      expected: 'the nested stack template in the cloud assembly (with its asset manifest, as cdk synth writes it)',
      fix: 'check the complete cdk.out that cdk synth wrote (asset manifests included), or check the nested template on its own and acknowledge LCG-COV-001 for this stack',
      cannotVerify: true,
    };
  }
  if (provisionsAi(resource)) {
    return {
      message: `Cannot verify ${resource.type} "${resource.id}": a provisioner of it runs a command that creates or changes AI resources, which no rule can read.`,
      found: 'provisioner command for an AI service (az cognitiveservices, aws bedrock, gcloud ai, …)',
      expected: 'AI resources declared as resources (azurerm, azapi, aws, google) the guardrail reads, or an acknowledgement with a reason and an expiry date',
      fix: 'declare the resource the command creates (an azapi_resource when azurerm lacks it), or acknowledge LCG-COV-001 for this resource',
      cannotVerify: true,
    };
  }
  if (deployedTemplate(resource) === 'ai') {
    return {
      message: `Cannot verify ${resource.type} "${resource.id}": the template it deploys declares AI resources, which no rule reads inside a template.`,
      found: 'a template naming AI resource types (AWS::Bedrock::…, Microsoft.CognitiveServices/…, aiplatform …)',
      expected: 'AI resources declared as resources of the configuration (aws, azurerm, azapi, google), or the template checked on its own, or an acknowledgement with a reason and an expiry date',
      fix: 'declare the AI resources in the configuration, or run llm-guardrail check on the template itself and acknowledge LCG-COV-001 for this resource',
      cannotVerify: true,
    };
  }
  return {
    message: `Cannot verify ${resource.type} "${resource.id}": no rule of the guardrail reads this type, and it belongs to the ${family === 'ai' ? 'AI services' : `${family} resources`}, which can carry prompts, model choices or their logs.`,
    found: `type ${resource.type}${resource.type.startsWith('azapi_') ? ` (${describeSource(resource, 'type')})` : ''}`,
    expected: 'a resource type the guardrail reads, or an acknowledgement with a reason and an expiry date',
    cannotVerify: true,
  };
}

function describeSource(resource: Resource, property = 'source'): string {
  const value = resource.properties[property];
  return typeof value === 'string' ? value : value === undefined ? 'not set' : String(value);
}

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

  const raw: { rule: Rule; resource: FindingResource; violations: readonly Violation[]; variables?: readonly VariableUse[] }[] = [];
  for (const stack of graph.stacks) {
    for (const rule of stackRules) {
      const outcome = rule.checkStack(stack, context);
      if (outcome) raw.push({ rule, resource: stackResource(stack), violations: outcome });
    }
  }
  const everyType = byType.get('*') ?? [];
  // What the guardrail read of each resource: a rule judged it, it is of a type the rules or their facts read,
  // it is out of scope, or nobody read it.
  const accounting = { judged: 0, outOfScope: 0 };
  const notInspected: NotInspectedResource[] = [];
  const coverage = options.coverage !== false;
  // A type some rule reads is known even when the policy turns that rule off (a key rule without a key requirement).
  const knownTypes = new Set(options.rules.flatMap((rule) => rule.resourceTypes));
  // What is known of a type, and the rules that read it, are the same for all its resources: looked up once per type
  // (azapi resources, modules and unread nested stacks are read one by one, since their own properties decide).
  interface TypeFacts {
    readonly known: boolean;
    readonly family: ResourceFamily;
    readonly outOfScope: boolean;
    readonly rules: readonly ResourceRule[];
  }
  const readTypeFacts = (resource: Resource): TypeFacts => ({
    known: resource.unread === undefined && readsResource(resource, knownTypes),
    family: resourceFamily(resource),
    outOfScope: isOutOfScopeResource(resource),
    rules: [...(byType.get(resource.type) ?? []), ...everyType],
  });
  const byTypeFacts = new Map<string, TypeFacts>();
  // Indexed loops: this one runs once per resource and rule before V8 has optimized it, and for-of allocates an
  // iterator result per step until then.
  const resources = graph.resources;
  for (let index = 0; index < resources.length; index++) {
    const resource = resources[index];
    let facts = byTypeFacts.get(resource.type);
    if (resource.unread !== undefined || resource.type.startsWith('azapi_') || resource.type === TERRAFORM_MODULE_TYPE || readOneByOne(resource.type)) facts = readTypeFacts(resource);
    else if (!facts) byTypeFacts.set(resource.type, (facts = readTypeFacts(resource)));
    const known = facts.known;
    let judgedByAny = false;
    // One description of the resource for all the rules it passes, one (with where the app created it) for those it fails.
    let passing: FindingResource | undefined;
    let failing: FindingResource | undefined;
    const typeRules = facts.rules;
    for (let ruleIndex = 0; ruleIndex < typeRules.length; ruleIndex++) {
      const rule = typeRules[ruleIndex];
      const outcome = rule.check(resource, context);
      if (!outcome) continue;
      judgedByAny = true;
      // Where the app created the resource is looked up for findings only: reading creation traces costs time.
      const described = outcome.length > 0 ? (failing ??= findingResource(resource, graph)) : (passing ??= findingResource(resource));
      raw.push({ rule, resource: described, violations: outcome, variables: resource.variables });
    }
    // Whether a resource exists matters where the rules read it: an alarm or queue created only in production changes nothing they judge.
    if (coverage && resource.existence && (known || judgedByAny) && !facts.outOfScope) {
      raw.push({ rule: EXISTENCE_UNKNOWN_RULE, resource: findingResource(resource, graph), violations: [existenceViolation(resource, resource.existence)], variables: resource.variables });
    }
    // A rule for every resource (a location, a key) reads one side of a resource; an AI service is judged only by
    // rules written for its type, so an unknown one is not inspected even when its location was.
    const family = facts.family;
    if (known || (judgedByAny && !ONLY_OWN_RULES_JUDGE.has(family))) accounting.judged++;
    else if (facts.outOfScope) accounting.outOfScope++;
    else {
      const entry = { resource: passing ?? findingResource(resource), family };
      notInspected.push(entry);
      if (coverage && failsWhenNotInspected(policy.notInspected, entry.family)) {
        raw.push({ rule: NOT_INSPECTED_RULE, resource: findingResource(resource, graph), violations: [notInspectedViolation(resource, entry.family)] });
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

  for (let index = 0; index < raw.length; index++) {
    const { rule, resource, violations, variables } = raw[index];
    if (violations.length === 0) {
      checks.push({ ruleId: rule.id, resource, status: 'pass' });
      continue;
    }
    let status: CheckStatus = 'suppressed';
    for (const violation of violations) {
      const finding = withVariables(toFinding(rule, resource, violation, policy), variables);
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
      judged: accounting.judged,
      outOfScope: accounting.outOfScope,
      notInspected: notInspected.length,
    },
    notInspected,
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

function existenceViolation(resource: Resource, existence: Unresolved): Violation {
  return {
    message: `Cannot verify whether ${resource.id} exists: ${existence.reason}. It is judged as if it existed, and this finding keeps the gate from passing on what it might provide.`,
    found: existence.expression,
    expected: resource.stack.format === 'cloudformation' ? 'a Condition the guardrail can evaluate (decided at synthesis, not by a parameter)' : 'a count or for_each the guardrail can evaluate (literals, variables with values, locals)',
    cannotVerify: true,
  };
}

/**
 * A finding about a resource of a Terraform directory names the variables its
 * found value came from, and where each was set: "var.location = "eastus"
 * (default at variables.tf:3)" rather than a value with no origin.
 */
function withVariables(finding: Finding, variables: readonly VariableUse[] | undefined): Finding {
  if (!variables || variables.length === 0) return finding;
  const relevant = variables.filter((use) => {
    const plain = use.value.replace(/^"(.*)"$/, '$1');
    return plain !== '' && (finding.found.includes(plain) || finding.message.includes(plain));
  });
  if (relevant.length === 0) return finding;
  const origin = `Values from variables: ${relevant.map((use) => `${use.name} = ${use.value} (${use.from})`).join('; ')}.`;
  return { ...finding, message: `${finding.message.slice(0, finding.message.indexOf(' Found: '))} ${origin}${finding.message.slice(finding.message.indexOf(' Found: '))}`, variables: relevant };
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

function findingResource(resource: Resource, locate?: ResourceGraph): FindingResource {
  const source = locate?.sourceOf(resource);
  return { id: resource.id, type: resource.type, path: resource.path, stack: resource.stack.name, file: resource.stack.file, ...(source ? { source } : {}) };
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

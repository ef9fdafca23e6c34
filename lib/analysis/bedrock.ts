/**
 * Shared analysis for the AWS Bedrock rules: which IAM statements let a
 * principal send prompts to a model, what their resources point at, and which
 * stacks can therefore invoke Bedrock. Computed once per run through the
 * rule context's memo.
 */
import { inferenceGeography, inferenceGeographyPrefixes } from '../catalogs';
import type { Resource, ResourceGraph, StackInfo } from '../core/graph';
import { describeLocation, judgeLocation } from './residency';
import { Unresolved, Value, isPlainObject } from '../core/values';
import type { GuardrailPolicy } from '../policy/policy';
import type { RuleContext } from '../rules/rule';

interface BedrockCatalog {
  readonly invokeActions: readonly string[];
  readonly cloudTrailDataEventResourceTypes: readonly string[];
  readonly runtimeEndpointService: string;
}

let catalog: BedrockCatalog | undefined;
/** Bedrock facts kept as data (`lib/catalogs/data/aws-bedrock.json`). */
export function bedrockCatalog(): BedrockCatalog {
  return (catalog ??= require('../catalogs/data/aws-bedrock.json') as BedrockCatalog);
}

/** The Bedrock custom resource type and the CloudFormation types these rules read. */
export const APPLICATION_INFERENCE_PROFILE = 'AWS::Bedrock::ApplicationInferenceProfile';
export const VPC_ENDPOINT = 'AWS::EC2::VPCEndpoint';
export const TRAIL = 'AWS::CloudTrail::Trail';

/** Resource types whose properties hold IAM policy documents. */
export const POLICY_HOLDER_TYPES = [
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  VPC_ENDPOINT,
  // Terraform (hashicorp/aws): policies are JSON strings in `policy` or `inline_policy` blocks.
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_iam_role',
];

/** One Allow statement that grants (or may grant) a Bedrock invoke action. */
export interface InvokeGrant {
  readonly resource: Resource;
  /** Path of the statement's `Resource` inside the resource's properties, for messages. */
  readonly attribute: string;
  /** The statement's resources; `['*']` for an Allow with NotResource. */
  readonly targets: readonly Value[];
  /** The action patterns that match an invoke action, as written. */
  readonly actions: readonly string[];
}

/** Every policy document of a resource with the attribute path that holds it. */
export function policyDocuments(resource: Resource): { document: Value; attribute: string }[] {
  const { properties } = resource;
  if (resource.stack.format === 'terraform') {
    const documents: { document: Value; attribute: string }[] = [];
    if (properties.policy !== undefined) documents.push({ document: parsePolicyJson(properties.policy), attribute: 'policy' });
    const inline = Array.isArray(properties.inline_policy) ? properties.inline_policy : properties.inline_policy !== undefined ? [properties.inline_policy] : [];
    inline.forEach((block, index) => {
      if (isPlainObject(block) && block.policy !== undefined) documents.push({ document: parsePolicyJson(block.policy), attribute: `inline_policy[${index}].policy` });
    });
    return documents;
  }
  if (resource.type === 'AWS::IAM::Role' || resource.type === 'AWS::IAM::User' || resource.type === 'AWS::IAM::Group') {
    const policies = properties.Policies;
    if (policies instanceof Unresolved) return [{ document: policies, attribute: 'Policies' }];
    if (!Array.isArray(policies)) return [];
    return policies.flatMap((policy, index) =>
      isPlainObject(policy) && policy.PolicyDocument !== undefined ? [{ document: policy.PolicyDocument, attribute: `Policies[${index}].PolicyDocument` }] : policy instanceof Unresolved ? [{ document: policy, attribute: `Policies[${index}]` }] : [],
    );
  }
  if (POLICY_HOLDER_TYPES.includes(resource.type) && properties.PolicyDocument !== undefined) return [{ document: properties.PolicyDocument, attribute: 'PolicyDocument' }];
  return [];
}

/**
 * A Terraform policy document: a JSON string, possibly with `${…}`
 * interpolations inside its values (kept as text, so a target built from one
 * is judged unverifiable). Anything that is not JSON stays unresolved.
 */
function parsePolicyJson(value: Value): Value {
  const text = typeof value === 'string' ? value : value instanceof Unresolved ? value.expression : undefined;
  if (text === undefined) return value;
  try {
    return JSON.parse(text) as Value;
  } catch {
    return value instanceof Unresolved ? value : new Unresolved(text, 'a policy document that is not JSON');
  }
}

/** Grants per resource: several rules and the documentation ask for the same resource's. Resources never change. */
const grantsOf = new WeakMap<Resource, readonly InvokeGrant[]>();

/** The Allow statements of a resource that grant a Bedrock invoke action (fail closed on unresolved parts). */
export function invokeGrants(resource: Resource): readonly InvokeGrant[] {
  let grants = grantsOf.get(resource);
  if (!grants) grantsOf.set(resource, (grants = findInvokeGrants(resource)));
  return grants;
}

function findInvokeGrants(resource: Resource): InvokeGrant[] {
  const grants: InvokeGrant[] = [];
  for (const { document, attribute } of policyDocuments(resource)) {
    if (document instanceof Unresolved) {
      // A document chosen at deploy time may grant anything; judge it only if it could mention Bedrock.
      if (/bedrock|"\*"/i.test(document.expression)) grants.push({ resource, attribute, targets: [document], actions: ['(unresolved policy document)'] });
      continue;
    }
    if (!isPlainObject(document)) continue;
    const statements = Array.isArray(document.Statement) ? document.Statement : document.Statement !== undefined ? [document.Statement] : [];
    statements.forEach((statement, index) => {
      const where = `${attribute}.Statement[${index}]`;
      if (statement instanceof Unresolved) {
        if (/bedrock|"\*"/i.test(statement.expression)) grants.push({ resource, attribute: where, targets: [statement], actions: ['(unresolved statement)'] });
        return;
      }
      if (!isPlainObject(statement)) return;
      if (typeof statement.Effect === 'string' && statement.Effect !== 'Allow') return;
      const actions = matchingActions(statement);
      if (actions.length === 0) return;
      if (statement.NotResource !== undefined) {
        grants.push({ resource, attribute: `${where}.NotResource`, targets: ['*'], actions });
        return;
      }
      const targets = statement.Resource === undefined ? [] : Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      grants.push({ resource, attribute: `${where}.Resource`, targets, actions });
    });
  }
  return grants;
}

/** Action patterns of a statement that cover an invoke action; NotAction and unresolved actions fail closed. */
function matchingActions(statement: { [key: string]: Value }): string[] {
  const invoke = bedrockCatalog().invokeActions;
  if (statement.NotAction !== undefined) {
    const excluded = asList(statement.NotAction);
    const stillGranted = invoke.filter((action) => !excluded.some((pattern) => typeof pattern === 'string' && actionMatches(pattern, action)));
    return stillGranted.length > 0 ? [`NotAction ${describeList(excluded)}`] : [];
  }
  const out: string[] = [];
  for (const pattern of asList(statement.Action)) {
    if (typeof pattern !== 'string') {
      out.push(String(pattern));
      continue;
    }
    if (coversInvoke(pattern, invoke)) out.push(pattern);
  }
  return out;
}

/** Whether an action pattern covers any invoke action; the same few patterns recur across thousands of policies. */
const invokeCoverage = new Map<string, boolean>();
const INVOKE_COVERAGE_LIMIT = 10_000;

function coversInvoke(pattern: string, invoke: readonly string[]): boolean {
  let covers = invokeCoverage.get(pattern);
  if (covers === undefined) {
    covers = invoke.some((action) => actionMatches(pattern, action));
    if (invokeCoverage.size >= INVOKE_COVERAGE_LIMIT) invokeCoverage.clear();
    invokeCoverage.set(pattern, covers);
  }
  return covers;
}

/** IAM action matching: case-insensitive, `*` and `?` wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === action.toLowerCase();
  const expression = pattern
    .split('')
    .map((character) => (character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${expression}$`, 'i').test(action);
}

function asList(value: Value | undefined): Value[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function describeList(values: readonly Value[]): string {
  return values.map((value) => String(value)).join(', ');
}

/** A Bedrock ARN split into its parts; pieces that are only known at deploy time read `${…}`. */
export interface BedrockArn {
  readonly text: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** `foundation-model`, `inference-profile`, `application-inference-profile`, … (may contain wildcards). */
  readonly resourceType: string;
  /** What follows the first `/` (model id, profile id); empty when there is none. */
  readonly resourceId: string;
}

/** Parses `arn:<partition>:<service>:<region>:<account>:<type>/<id>`; undefined when the text is no ARN. */
export function parseArn(text: string): BedrockArn | undefined {
  const parts = splitOutsidePlaceholders(text, ':', 5);
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, , service, region, account, rest] = parts;
  const slash = rest.indexOf('/');
  return {
    text,
    service,
    region,
    account,
    resourceType: slash === -1 ? rest : rest.slice(0, slash),
    resourceId: slash === -1 ? '' : rest.slice(slash + 1),
  };
}

/** Splits at `separator` at most `limit` times, never inside a `${…}` placeholder (which may hold `AWS::Region`). */
function splitOutsidePlaceholders(text: string, separator: string, limit: number): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    if (text.startsWith('${', index)) depth++;
    else if (text[index] === '}' && depth > 0) depth--;
    else if (text[index] === separator && depth === 0 && parts.length < limit) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export function hasWildcard(text: string): boolean {
  return /[*?]/.test(text);
}

/** How one invoke target relates to the policy's residency. */
export type TargetVerdict =
  | { readonly status: 'allowed' }
  /** Not a model resource (e.g. an S3 ARN in the same statement): other rules judge it. */
  | { readonly status: 'not-a-model' }
  | { readonly status: 'denied' | 'unverifiable'; readonly problem: string; readonly fix: string };

/**
 * Judges one `Resource` entry of a statement that grants invoke: the region
 * of a model or profile ARN, and for a cross-region inference profile every
 * destination region of its geography. Wildcards that reach other regions or
 * global profiles are denied; values known only at deploy time are unverifiable.
 */
export function judgeInvokeTarget(value: Value, policy: GuardrailPolicy, graph: ResourceGraph): TargetVerdict {
  const allowedText = policy.describeResidency('aws');
  const target = graph.target(value);
  if (target) {
    // An application inference profile of this app: LCG-RES-011 judges what it copies from, LCG-RES-002 its region.
    return target.type === APPLICATION_INFERENCE_PROFILE || target.type.startsWith('AWS::Bedrock::') ? { status: 'allowed' } : { status: 'not-a-model' };
  }
  const text = typeof value === 'string' ? value : value instanceof Unresolved ? value.expression : undefined;
  if (text === undefined) {
    return { status: 'unverifiable', problem: `a resource that is not a string (${JSON.stringify(value)})`, fix: 'name models and profiles by literal ARN' };
  }
  if (text === '*') {
    return {
      status: 'denied',
      problem: 'every model and inference profile in every region ("*"), including global inference profiles',
      fix: `list the foundation-model ARNs (arn:aws:bedrock:<allowed region>::foundation-model/<id>) the workload needs, in ${allowedText}`,
    };
  }
  const arn = parseArn(text);
  if (!arn) {
    if (value instanceof Unresolved) return { status: 'unverifiable', problem: `a resource known only at deploy time (${text}: ${value.reason})`, fix: 'name the model or profile by a literal ARN' };
    return { status: 'not-a-model' };
  }
  if (arn.service !== 'bedrock' && !hasWildcard(arn.service) && !arn.service.startsWith('${')) return { status: 'not-a-model' };
  if (arn.service.startsWith('${')) return { status: 'unverifiable', problem: `an ARN whose service is known only at deploy time (${text})`, fix: 'write the service as "bedrock"' };

  if (arn.region === '') {
    if (arn.resourceType === 'foundation-model' || hasWildcard(arn.resourceType)) {
      return {
        status: 'denied',
        problem: `a region-less foundation-model ARN (${text}), which only global inference profiles use to route prompts to any commercial region`,
        fix: `grant the model in an allowed region instead: arn:aws:bedrock:<region in ${allowedText}>::foundation-model/${arn.resourceId || '<id>'}`,
      };
    }
    return { status: 'unverifiable', problem: `a Bedrock ARN without a region (${text})`, fix: 'name the region of the model or profile' };
  }
  if (hasWildcard(arn.region)) {
    return { status: 'denied', problem: `an ARN whose region "${arn.region}" matches regions outside the jurisdiction (${text})`, fix: `replace the region wildcard with a region in ${allowedText}` };
  }
  if (arn.region.includes('${')) {
    return { status: 'unverifiable', problem: `an ARN whose region is known only at deploy time (${text})`, fix: `write the region literally, or give the stack an explicit env: { region } in ${allowedText}` };
  }
  const verdict = judgeLocation(policy, 'aws', arn.region);
  if (verdict.status === 'denied') return { status: 'denied', problem: `a model or profile in ${describeLocation(verdict.info)} (${text})`, fix: `use the model in ${verdict.expected}` };
  if (verdict.status === 'unverifiable') return { status: 'unverifiable', problem: `${verdict.reason} (${text})`, fix: `use a region in ${verdict.expected}` };

  if (arn.resourceType === 'inference-profile') return judgeSystemProfile(arn, policy);
  if (arn.resourceType === 'application-inference-profile') {
    return {
      status: 'unverifiable',
      problem: `application inference profile ${text}, which is not defined in this app, so what it copies from (and where it routes) cannot be checked`,
      fix: 'define the application inference profile in the app (AWS::Bedrock::ApplicationInferenceProfile) and reference it, or grant the foundation model directly',
    };
  }
  if (hasWildcard(arn.resourceType)) {
    return {
      status: 'denied',
      problem: `every Bedrock resource type in ${arn.region} (${text}), including global and out-of-jurisdiction inference profiles`,
      fix: 'name the resource type: foundation-model/<id> or inference-profile/<in-jurisdiction profile id>',
    };
  }
  return { status: 'allowed' };
}

/** A system (cross-region) inference profile: every destination region of its geography must be allowed. */
export function judgeSystemProfile(arn: Pick<BedrockArn, 'text' | 'resourceId'>, policy: GuardrailPolicy): TargetVerdict {
  const allowedText = policy.describeResidency('aws');
  const geography = geographyOfProfile(arn.resourceId);
  if (geography === 'wildcard') {
    return {
      status: 'denied',
      problem: `every inference profile (${arn.text}), including global. profiles that route prompts to any commercial region`,
      fix: 'name the inference profile, with a geography prefix whose every destination region is allowed, or use a foundation model in an allowed region',
    };
  }
  if (!geography) {
    return {
      status: 'unverifiable',
      problem: `inference profile "${arn.resourceId}", whose geography prefix the catalog does not know, so its destination regions cannot be checked (${arn.text})`,
      fix: `use a foundation model in ${allowedText}, or a profile with a known geography prefix (${inferenceGeographyPrefixes().join(', ')})`,
    };
  }
  const { prefix, info } = geography;
  if (info.anywhere) {
    return {
      status: 'denied',
      problem: `global inference profile "${arn.resourceId}", which routes prompts to any AWS commercial region (${arn.text})`,
      fix: `use a foundation model in ${allowedText} (e.g. foundation-model/${arn.resourceId.slice(prefix.length + 1)})`,
    };
  }
  const outside: string[] = [];
  for (const region of info.destinationRegions) {
    const verdict = judgeLocation(policy, 'aws', region);
    if (verdict.status === 'denied') outside.push(describeLocation(verdict.info));
    else if (verdict.status === 'unverifiable') outside.push(`${region} (unknown to the catalog)`);
  }
  if (outside.length > 0) {
    return {
      status: 'denied',
      problem: `cross-region inference profile "${arn.resourceId}" (${info.name}), whose destination regions include ${outside.join(', ')} (${arn.text})`,
      fix: `use the foundation model in a region of ${allowedText} (foundation-model/${arn.resourceId.slice(prefix.length + 1)}), or a profile whose every destination region is allowed`,
    };
  }
  return { status: 'allowed' };
}

/** The catalog geography of a system inference profile id (`eu.anthropic…`), `wildcard` for `*`-style ids. */
export function geographyOfProfile(profileId: string): { prefix: string; info: NonNullable<ReturnType<typeof inferenceGeography>> } | 'wildcard' | undefined {
  for (const prefix of inferenceGeographyPrefixes()) {
    if (profileId.startsWith(`${prefix}.`)) {
      const info = inferenceGeography(prefix);
      if (info) return { prefix, info };
    }
  }
  const head = profileId.split('.')[0];
  return hasWildcard(head) ? 'wildcard' : undefined;
}

/** Invoke grants of every stack, keyed by stack name; computed once per run. */
export function invokeGrantsByStack(context: RuleContext): ReadonlyMap<string, readonly InvokeGrant[]> {
  return context.memo('aws-bedrock-invoke-grants', () => {
    const byStack = new Map<string, InvokeGrant[]>();
    for (const resource of context.graph.ofType(...POLICY_HOLDER_TYPES)) {
      // Endpoint policies limit a path; they do not give anyone the right to invoke.
      if (resource.type === VPC_ENDPOINT || resource.stack.format !== 'cloudformation') continue;
      const grants = invokeGrants(resource);
      if (grants.length === 0) continue;
      let list = byStack.get(resource.stack.name);
      if (!list) byStack.set(resource.stack.name, (list = []));
      list.push(...grants);
    }
    return byStack;
  });
}

/** `yes`, `no`, or `unknown` when an account or region is known only at deploy time. */
export type Sameness = 'yes' | 'no' | 'unknown';

/** Whether two CloudFormation stacks deploy to the same account and region. */
export function sameAccountAndRegion(a: StackInfo, b: StackInfo): Sameness {
  if (a.name === b.name) return 'yes';
  const values = [a.account, b.account, a.region, b.region];
  if (values.some((value) => typeof value !== 'string')) return 'unknown';
  return a.account === b.account && a.region === b.region ? 'yes' : 'no';
}

/** `account/region` of a stack for messages. */
export function describeEnvironment(stack: StackInfo): string {
  return `${typeof stack.account === 'string' ? stack.account : '<unknown account>'}/${typeof stack.region === 'string' ? stack.region : '<unknown region>'}`;
}

/** Whether a template value is boolean true (custom-resource properties may carry "true"). */
export function isTrue(value: Value | undefined): boolean {
  return value === true || value === 'true';
}

/** A short description of the stack's first invoke grant, for messages. */
export function describeGrant(grant: InvokeGrant): string {
  return `${grant.resource.type} "${grant.resource.id}" (${grant.actions.join(', ')})`;
}

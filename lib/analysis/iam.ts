/**
 * AWS IAM facts: which statements let a principal send prompts to a Bedrock
 * model, what they name, and which identities they reach. Rules judge these
 * grants; the data-flow documentation draws their principals as callers.
 */
import { awsManagedPolicies, bedrockService } from '../catalogs';
import type { Resource } from '../core/graph';
import { Reference, Unresolved, Value, asList, isPlainObject, referencedKeys, textOf } from '../core/values';
import { parseArn } from './arn';
import type { AnalysisContext } from './context';
import { memoByKey } from './context';
import { modelChoicesOf } from './model-choices';
import { resolveResource } from './resolve';
import { AWS_TYPES, CFN } from './resource-types';

/**
 * Resource types whose properties hold IAM policy documents (VPC endpoint
 * policies included) or attach managed policies by ARN (roles, users, groups,
 * Terraform policy attachments).
 */
export const POLICY_HOLDER_TYPES: readonly string[] = [...AWS_TYPES.policies, ...AWS_TYPES.principals, ...AWS_TYPES.policyAttachments, ...AWS_TYPES.vpcEndpoints];

/** One Allow statement that grants (or may grant) a Bedrock invoke action. */
export interface InvokeGrant {
  /** The resource holding the statement (a role, a policy, a VPC endpoint). */
  readonly resource: Resource;
  /** Path of the statement's `Resource` inside the resource's properties, for messages. */
  readonly attribute: string;
  /** The statement's resources; `['*']` for an Allow with NotResource. */
  readonly targets: readonly Value[];
  /** The action patterns that match an invoke action, as written. */
  readonly actions: readonly string[];
  /** The statement itself, when it could be read (for its conditions). */
  readonly statement?: { readonly [key: string]: Value };
}

/** Every policy document of a resource with the attribute path that holds it. */
function policyDocuments(resource: Resource): { document: Value; attribute: string }[] {
  const { properties } = resource;
  if (resource.stack.format === 'terraform') {
    const documents: { document: Value; attribute: string }[] = [];
    if (properties.policy !== undefined) documents.push({ document: parsePolicyJson(properties.policy), attribute: 'policy' });
    asList(properties.inline_policy).forEach((entry, index) => {
      if (isPlainObject(entry) && entry.policy !== undefined) documents.push({ document: parsePolicyJson(entry.policy), attribute: `inline_policy[${index}].policy` });
      // A permission set's inline policy is the document itself.
      else if (typeof entry === 'string' || entry instanceof Unresolved) documents.push({ document: parsePolicyJson(entry), attribute: 'inline_policy' });
    });
    return documents;
  }
  if (resource.type === CFN.role || resource.type === CFN.user || resource.type === CFN.group) {
    const policies = properties.Policies;
    if (policies instanceof Unresolved) return [{ document: policies, attribute: 'Policies' }];
    if (!Array.isArray(policies)) return [];
    return policies.flatMap((policy, index) =>
      isPlainObject(policy) && policy.PolicyDocument !== undefined
        ? [{ document: cloudFormationDocument(policy.PolicyDocument), attribute: `Policies[${index}].PolicyDocument` }]
        : policy instanceof Unresolved
          ? [{ document: policy, attribute: `Policies[${index}]` }]
          : [],
    );
  }
  if (resource.type === CFN.permissionSet) return properties.InlinePolicy !== undefined ? [{ document: cloudFormationDocument(properties.InlinePolicy), attribute: 'InlinePolicy' }] : [];
  if (POLICY_HOLDER_TYPES.includes(resource.type) && properties.PolicyDocument !== undefined) return [{ document: cloudFormationDocument(properties.PolicyDocument), attribute: 'PolicyDocument' }];
  return [];
}

/** CloudFormation accepts a policy document as an object or as a JSON string: read both alike. */
function cloudFormationDocument(value: Value): Value {
  return typeof value === 'string' ? parsePolicyJson(value) : value;
}

/**
 * A Terraform policy document: a JSON string, possibly with `${…}`
 * interpolations inside its values (kept as text, so a target built from one
 * is judged unverifiable). Anything that is not JSON stays unresolved.
 */
function parsePolicyJson(value: Value): Value {
  const text = typeof value === 'string' ? value : value instanceof Unresolved ? value.expression : undefined;
  if (text === undefined) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return value instanceof Unresolved ? value : new Unresolved(text, 'a policy document that is not JSON');
  }
  return value instanceof Unresolved ? interpolationsUnresolved(parsed as Value, value) : (parsed as Value);
}

/** Strings of a parsed document that still hold `${…}` are known only at plan time: they become unresolved values. */
function interpolationsUnresolved(value: Value, source: Unresolved): Value {
  if (typeof value === 'string') return value.includes('${') ? new Unresolved(value, `an interpolation in a policy document (${source.reason})`, source.references) : value;
  if (Array.isArray(value)) return value.map((item) => interpolationsUnresolved(item, source));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolationsUnresolved(item, source)]));
  return value;
}

/** The Allow statements of a resource that grant a Bedrock invoke action (fail closed on unresolved parts); once per run. */
export function invokeGrants(context: AnalysisContext, resource: Resource): readonly InvokeGrant[] {
  if (!POLICY_HOLDER_TYPES.includes(resource.type)) return [];
  return memoByKey(context, 'iam.invoke-grants', resource, () => findInvokeGrants(context, resource));
}

/** One statement of a policy document a resource holds, or a document or statement that cannot be read. */
export type PolicyStatement =
  | { readonly attribute: string; readonly statement: { readonly [key: string]: Value } }
  | { readonly attribute: string; readonly unreadable: Unresolved; readonly what: 'policy document' | 'policy statement' };

/** Every statement of every policy document a resource holds, in document order; unreadable parts as such. */
export function policyStatements(resource: Resource): PolicyStatement[] {
  if (!POLICY_HOLDER_TYPES.includes(resource.type)) return [];
  const statements: PolicyStatement[] = [];
  for (const { document, attribute } of policyDocuments(resource)) {
    if (document instanceof Unresolved) {
      statements.push({ attribute, unreadable: document, what: 'policy document' });
      continue;
    }
    if (!isPlainObject(document)) continue;
    asList(document.Statement).forEach((statement, index) => {
      const where = `${attribute}.Statement[${index}]`;
      if (statement instanceof Unresolved) statements.push({ attribute: where, unreadable: statement, what: 'policy statement' });
      else if (isPlainObject(statement)) statements.push({ attribute: where, statement });
    });
  }
  return statements;
}

function findInvokeGrants(context: AnalysisContext, resource: Resource): InvokeGrant[] {
  const grants: InvokeGrant[] = managedPolicyGrants(context, resource);
  for (const entry of policyStatements(resource)) {
    const where = entry.attribute;
    if ('unreadable' in entry) {
      const { unreadable } = entry;
      // A document chosen at deploy time may grant anything: judged unless its text shows statements that cannot name Bedrock.
      if (entry.what === 'policy document' ? opaqueDocument(unreadable.expression) || mayMentionBedrock(unreadable.expression) : mayMentionBedrock(unreadable.expression)) {
        grants.push({ resource, attribute: where, targets: [unreadablePolicy(unreadable, entry.what)], actions: [entry.what === 'policy document' ? '(unresolved policy document)' : '(unresolved statement)'] });
      }
      continue;
    }
    const { statement } = entry;
    if (typeof statement.Effect === 'string' && statement.Effect !== 'Allow') continue;
    const actions = matchingActions(context, statement);
    if (actions.length === 0) {
      grants.push(...crossAccountAssumeGrants(context, resource, statement, where));
      continue;
    }
    if (statement.NotResource !== undefined) {
      grants.push({ resource, attribute: `${where}.NotResource`, targets: ['*'], actions, statement });
      continue;
    }
    grants.push({ resource, attribute: `${where}.Resource`, targets: asList(statement.Resource), actions, statement });
  }
  return grants;
}

/** How policies are attached by ARN: the property and whether it holds one ARN or a list. */
const MANAGED_POLICY_PROPERTIES: readonly [property: string, list: boolean][] = [
  ['ManagedPolicyArns', true],
  ['managed_policy_arns', true],
  ['policy_arn', false],
  // IAM Identity Center permission sets.
  ['ManagedPolicies', true],
  ['managed_policy_arn', false],
];

/**
 * Grants that come from policies attached by ARN, which the documents do not
 * hold: an AWS managed policy the catalog knows to allow invoke grants what
 * it allows; one it knows to allow none grants nothing; any other (a customer
 * managed policy of another stack, an AWS managed policy the catalog does not
 * know, an ARN known only at deploy time) is unreadable, and counts as a
 * grant that cannot be verified where the principal is tied to Bedrock.
 */
function managedPolicyGrants(context: AnalysisContext, resource: Resource): InvokeGrant[] {
  if (!AWS_TYPES.principals.includes(resource.type) && !AWS_TYPES.policyAttachments.includes(resource.type)) return [];
  const catalog = awsManagedPolicies();
  const grants: InvokeGrant[] = [];
  for (const [property, list] of MANAGED_POLICY_PROPERTIES) {
    const value = resource.properties[property];
    if (value === undefined) continue;
    (list ? asList(value) : [value]).forEach((item, index) => {
      const attribute = list ? `${property}[${index}]` : property;
      // A policy of the app is judged where it is defined.
      if (item instanceof Reference || resolveResource(context, item, AWS_TYPES.policies)) return;
      const text = textOf(item) ?? JSON.stringify(item);
      const arn = parseArn(text);
      const name = arn ? arn.resourceId.split('/').pop()! : text;
      const awsManaged = arn?.account === 'aws';
      const known = awsManaged ? catalog.grantsInvoke[name] : undefined;
      if (known && Object.prototype.hasOwnProperty.call(catalog.grantsInvoke, name)) {
        // The catalog knows the statement: no condition limits it.
        grants.push({ resource, attribute: `${attribute} (AWS managed policy ${name})`, targets: [...known.resources], actions: [...known.actions], statement: { Effect: 'Allow', Action: [...known.actions], Resource: [...known.resources] } });
        return;
      }
      if (awsManaged && catalog.noInvoke.includes(name)) return;
      if (!tiedToBedrock(context, resource, name)) return;
      const why = item instanceof Unresolved ? `a policy ARN known only at deploy time (${item.reason})` : awsManaged ? `AWS managed policy ${name}, which the guardrail's catalog does not know` : `policy ${name}, which the app does not define`;
      grants.push({ resource, attribute, targets: [new Unresolved(`attached policy ${text}`, `${why}: what it allows cannot be read`)], actions: ['(attached managed policy)'] });
    });
  }
  return grants;
}

/**
 * An Allow of sts:AssumeRole on a role in another account, by a principal tied
 * to Bedrock: its model calls may run under that role, whose permissions (and
 * region) the documents do not hold.
 */
function crossAccountAssumeGrants(context: AnalysisContext, resource: Resource, statement: { readonly [key: string]: Value }, where: string): InvokeGrant[] {
  const actions = asList(statement.Action).filter((action): action is string => typeof action === 'string' && actionMatches(action, 'sts:AssumeRole'));
  if (actions.length === 0 || !tiedToBedrock(context, resource)) return [];
  const own = resource.stack.account;
  return asList(statement.Resource).flatMap((target) => {
    const text = textOf(target);
    if (text === undefined) return [];
    const arn = parseArn(text);
    const account = arn?.account ?? (text === '*' ? '*' : undefined);
    if (account === undefined || (typeof own === 'string' && account === own) || account.includes('${')) return [];
    return [
      {
        resource,
        attribute: `${where}.Resource`,
        targets: [new Unresolved(`assumed role ${text}`, `a role in ${account === '*' ? 'any account' : `account ${account}`} the principal may assume, whose Bedrock permissions and region the documents do not hold`)],
        actions,
        statement,
      },
    ];
  });
}

/**
 * Whether a principal (or the principals a policy or attachment reaches) is
 * tied to Bedrock: a Bedrock service role (its trust names a bedrock service
 * principal), the role of code that chooses a model, or — for an attached
 * policy — a policy whose name says Bedrock or models.
 */
function tiedToBedrock(context: AnalysisContext, holder: Resource, policyName?: string): boolean {
  if (policyName !== undefined && /bedrock|genai|gen-ai|llm|inference|model/i.test(policyName)) return true;
  return principalsOf(context, holder).some((principal) =>
    memoByKey(context, 'iam.tied-to-bedrock', principal, () => {
      const trust = textOf(principal.properties.assume_role_policy) ?? JSON.stringify(principal.properties.AssumeRolePolicyDocument ?? '');
      if (/bedrock(-agentcore)?\.amazonaws\.com/.test(trust)) return true;
      return context.graph.referrers(principal.key).some((user) => modelChoicesOf(user, context).length > 0);
    }),
  );
}

/** A policy document or statement that cannot be read, as the target of the grant it may be: its reason says so. */
export function unreadablePolicy(value: Unresolved, what: 'policy document' | 'policy statement'): Unresolved {
  return new Unresolved(value.expression, `the ${what} is known only at deploy or plan time (${value.reason}): what it grants cannot be read`, value.references);
}

/** Whether a reason is that of {@link unreadablePolicy}: the fix is to make the policy readable, not to name a model. */
export function isUnreadablePolicy(reason: string): boolean {
  return /^the policy (document|statement) is known only at deploy or plan time/.test(reason);
}

/**
 * Whether unreadable policy text may grant Bedrock: it names Bedrock, all
 * actions (`"*"`, `"*:…"`), or actions by exclusion (`NotAction`, which allows
 * Bedrock unless it lists it).
 */
function mayMentionBedrock(expression: string): boolean {
  return /bedrock|"\*"|"\*:|NotAction|not_actions/i.test(expression);
}

/**
 * Whether an unreadable policy document shows nothing of its statements: a
 * parameter, an import, a file, a variable or another document's JSON. What
 * it grants cannot be read at all, so it may grant Bedrock.
 */
function opaqueDocument(expression: string): boolean {
  return !/Statement|statement/.test(expression);
}

/** Action patterns of a statement that cover an invoke action; NotAction and unresolved actions fail closed. */
function matchingActions(context: AnalysisContext, statement: { readonly [key: string]: Value }): string[] {
  const invoke = bedrockService().invokeActions;
  if (statement.NotAction !== undefined) {
    const excluded = asList(statement.NotAction);
    const stillGranted = invoke.filter((action) => !excluded.some((pattern) => typeof pattern === 'string' && actionMatches(pattern, action)));
    return stillGranted.length > 0 ? [`NotAction ${excluded.map((value) => String(value)).join(', ')}`] : [];
  }
  const out: string[] = [];
  for (const pattern of asList(statement.Action)) {
    if (typeof pattern !== 'string') out.push(String(pattern));
    // The same few patterns recur across thousands of policies: match each once per run.
    else if (memoByKey(context, 'iam.covers-invoke', pattern, () => invoke.some((action) => actionMatches(pattern, action)))) out.push(pattern);
  }
  return out;
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

/**
 * The invoke actions a construct grants: InvokeModel and
 * InvokeModelWithResponseStream, which also authorize Converse and ConverseStream.
 */
export function invokeActionsToGrant(): string[] {
  return bedrockService().invokeActions.filter((action) => action === 'bedrock:InvokeModel' || action === 'bedrock:InvokeModelWithResponseStream');
}

/** A resource whose statements let someone invoke Bedrock: a principal or a policy (not an endpoint policy). */
export interface InvokeGrantHolder {
  readonly resource: Resource;
  readonly grants: readonly InvokeGrant[];
}

/**
 * Every principal or policy with an invoke grant, in document order. VPC
 * endpoint policies limit a network path and give nobody the right to invoke,
 * so they are left out here (the residency rule still judges what they name).
 */
export function invokeGrantHolders(context: AnalysisContext): readonly InvokeGrantHolder[] {
  return context.memo('iam.invoke-grant-holders', () => {
    const holders: InvokeGrantHolder[] = [];
    for (const resource of context.graph.resources) {
      if (!POLICY_HOLDER_TYPES.includes(resource.type) || AWS_TYPES.vpcEndpoints.includes(resource.type)) continue;
      const grants = invokeGrants(context, resource);
      if (grants.length > 0) holders.push({ resource, grants });
    }
    return holders;
  });
}

/** Invoke grants of every stack, keyed by stack name; computed once per run. */
export function invokeGrantsByStack(context: AnalysisContext): ReadonlyMap<string, readonly InvokeGrant[]> {
  return context.memo('iam.invoke-grants-by-stack', () => {
    const byStack = new Map<string, InvokeGrant[]>();
    for (const holder of invokeGrantHolders(context)) {
      let list = byStack.get(holder.resource.stack.name);
      if (!list) byStack.set(holder.resource.stack.name, (list = []));
      list.push(...holder.grants);
    }
    return byStack;
  });
}

/** Properties through which a policy names the identities it is attached to. */
const PRINCIPAL_PROPERTIES = ['Roles', 'Users', 'Groups', 'RoleName', 'UserName', 'GroupName', 'role', 'user', 'group', 'roles', 'users', 'groups', 'permission_set_arn'];

/**
 * The identities a grant holder reaches: the principal itself, or the roles,
 * users and groups a policy is attached to (inline, by attachment resource, or
 * by the principal's own reference). Empty when a policy is attached to no
 * identity of the documents.
 */
export function principalsOf(context: AnalysisContext, holder: Resource): readonly Resource[] {
  if (AWS_TYPES.principals.includes(holder.type)) return [holder];
  return memoByKey(context, 'iam.principals', holder, () => {
    const found = new Map<string, Resource>();
    const add = (value: Value | undefined): void => {
      for (const item of asList(value)) {
        const principal = resolveResource(context, item, AWS_TYPES.principals);
        if (principal) found.set(principal.key, principal);
      }
    };
    for (const property of PRINCIPAL_PROPERTIES) add(holder.properties[property]);
    for (const referrer of context.graph.referrers(holder.key)) {
      if (AWS_TYPES.principals.includes(referrer.type)) found.set(referrer.key, referrer);
      if (AWS_TYPES.policyAttachments.includes(referrer.type)) for (const property of PRINCIPAL_PROPERTIES) add(referrer.properties[property]);
    }
    return [...found.values()];
  });
}

/** A short description of a grant, for messages: `AWS::IAM::Policy "P" (bedrock:InvokeModel)`. */
export function describeGrant(grant: InvokeGrant): string {
  return `${grant.resource.type} "${grant.resource.id}" (${grant.actions.join(', ')})`;
}

/** The property by which compute assumes a role, by type: the code that runs with the role's permissions. */
const ROLE_OF_COMPUTE: { readonly [type: string]: string } = {
  'AWS::Lambda::Function': 'Role',
  'AWS::ECS::TaskDefinition': 'TaskRoleArn',
  'AWS::StepFunctions::StateMachine': 'RoleArn',
  'AWS::AppRunner::Service': 'InstanceConfiguration',
  'AWS::Bedrock::Agent': 'AgentResourceRoleArn',
  aws_lambda_function: 'role',
  aws_ecs_task_definition: 'task_role_arn',
  aws_sfn_state_machine: 'role_arn',
  aws_apprunner_service: 'instance_configuration',
  aws_bedrockagent_agent: 'agent_resource_role_arn',
};

/** The service principals of the compute that {@link assumedBy} finds. */
const COMPUTE_SERVICES: readonly string[] = ['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'states.amazonaws.com', 'tasks.apprunner.amazonaws.com', 'bedrock.amazonaws.com', 'edgelambda.amazonaws.com'];

/**
 * Whether only compute services may assume a role: its trust policy names
 * service principals of functions, tasks, state machines and agents, and no
 * account, user, federated identity or other service. False when the trust
 * policy cannot be read.
 */
export function trustedOnlyByCompute(role: Resource): boolean {
  let document: unknown = role.properties.AssumeRolePolicyDocument ?? role.properties.assume_role_policy;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document);
    } catch {
      return false;
    }
  }
  if (!isPlainObject(document as Value)) return false;
  const statements = asList((document as { [key: string]: Value }).Statement);
  if (statements.length === 0) return false;
  return statements.every((statement) => {
    if (!isPlainObject(statement)) return false;
    if (statement.Effect === 'Deny') return true;
    const principal = statement.Principal;
    if (!isPlainObject(principal)) return false;
    return Object.entries(principal).every(([kind, value]) => kind === 'Service' && asList(value).every((service) => typeof service === 'string' && COMPUTE_SERVICES.includes(service)));
  });
}

/**
 * The functions, tasks, state machines and services of the graph that run
 * with a role (a Lambda function's `Role`, an ECS task's `TaskRoleArn`, …):
 * who really calls a model when the role is granted it. Empty when nothing
 * in the graph assumes the role.
 */
export function assumedBy(context: AnalysisContext, role: Resource): readonly Resource[] {
  return memoByKey(context, 'iam.assumed-by', role, () =>
    context.graph.referrers(role.key).filter((resource) => {
      const property = ROLE_OF_COMPUTE[resource.type];
      return property !== undefined && referencedKeys(resource.properties[property]).has(role.key);
    }),
  );
}

/**
 * The code that calls Bedrock, and what it writes prompts to: functions whose
 * role may invoke a model or that are handed a model to call, and the log
 * groups their output lands in — an explicit log group, the LoggingConfig
 * group, the group CDK's logRetention manages, or, when none of those exists,
 * the implicit `/aws/lambda/<name>` group Lambda creates and never expires.
 */
import type { Resource } from '../core/graph';
import { Reference, Unresolved, Value, asList, block, describeValue, isPlainObject, switchValue, textOf } from '../core/values';
import type { AnalysisContext } from './context';
import { sparseFact, sparseFactTable } from './context';
import { invokeGrantHolders, principalsOf } from './iam';
import { modelChoicesOf } from './model-choices';
import { resolveResource } from './resolve';
import { AWS_TYPES, CFN, TF_AWS } from './resource-types';

/** Lambda function types, CloudFormation and Terraform. */
export const FUNCTION_TYPES: readonly string[] = ['AWS::Lambda::Function', 'aws_lambda_function'];
/** The custom resource behind CDK's `logRetention` function property. */
export const LOG_RETENTION_TYPE = 'Custom::LogRetention';

/** Why a resource counts as code that calls Bedrock, or undefined when it does not. */
export function bedrockCallerReason(context: AnalysisContext, resource: Resource): string | undefined {
  return sparseFact(context, CALLER_REASON, resource, callerReasonOf, undefined, isNoReason);
}

const CALLER_REASON = 'bedrock-callers.reason';
const isNoReason = (reason: string | undefined): boolean => reason === undefined;
const callerReasonOf = (resource: Resource, context: AnalysisContext): string | undefined => readCallerReason(context, resource);

/** The code that calls Bedrock, in document order: every resource with a {@link bedrockCallerReason}. */
export function bedrockCallers(context: AnalysisContext): readonly Resource[] {
  return context.memo('bedrock-callers', () => {
    const table = sparseFactTable(context, CALLER_REASON, callerReasonOf, isNoReason);
    return table ? [...table.keys()] : context.graph.resources.filter((resource) => bedrockCallerReason(context, resource) !== undefined);
  });
}

function readCallerReason(context: AnalysisContext, resource: Resource): string | undefined {
  // An Azure or Google resource is handed no Bedrock model and runs under no AWS role.
  if (resource.cloud === 'azure' || resource.cloud === 'google') return undefined;
  const choice = modelChoicesOf(resource, context)[0];
  if (choice) return `it is handed a model or Bedrock region (${choice.attribute})`;
  // A policy's or attachment's role is the identity it is attached to, not one it runs code as.
  if (AWS_TYPES.policies.includes(resource.type) || AWS_TYPES.policyAttachments.includes(resource.type)) return undefined;
  const props = resource.properties;
  // A function's role, an ECS task's role, a Batch job's role.
  const roleValue = props.Role ?? props.role ?? props.TaskRoleArn ?? props.task_role_arn ?? block(props.ContainerProperties)?.JobRoleArn;
  const role = resolveResource(context, roleValue, AWS_TYPES.principals);
  if (role && bedrockPrincipals(context).has(role.key)) return `its role ${role.id} may invoke Bedrock`;
  return undefined;
}

/**
 * Keys of the roles, users and groups some invoke grant reaches: who may call
 * Bedrock, whether or not code of the documents runs as them (a role assumed
 * by a task defined elsewhere still calls Bedrock); once per run.
 */
export function bedrockPrincipals(context: AnalysisContext): ReadonlySet<string> {
  return context.memo('bedrock-callers.principals', () => new Set(invokeGrantHolders(context).flatMap((holder) => principalsOf(context, holder.resource).map((principal) => principal.key))));
}

/** Where a function's logs go: log resources of the app, or the implicit group Lambda creates. */
export type FunctionLogs =
  | { readonly kind: 'resources'; readonly resources: readonly Resource[] }
  /** No log group of the app: Lambda writes to `/aws/lambda/<name>`, created on first write, never expiring. */
  | { readonly kind: 'implicit'; readonly name: string }
  /** The function names a log group (LoggingConfig.LogGroup) that the app does not define: kept as its owner set it. */
  | { readonly kind: 'external'; readonly name: string };

/** ECS task definitions and Batch job definitions: containers whose log driver decides where their output is kept. */
export const CONTAINER_TYPES: readonly string[] = ['AWS::ECS::TaskDefinition', 'aws_ecs_task_definition', 'AWS::Batch::JobDefinition', 'aws_batch_job_definition'];

/** Where one container's output goes. */
export interface ContainerLogs {
  /** The container's log configuration, for messages. */
  readonly attribute: string;
  readonly logs: FunctionLogs | { readonly kind: 'driver'; readonly driver: string } | { readonly kind: 'unknown'; readonly found: string };
}

/**
 * Where the containers of a task or job definition write their output: the
 * `awslogs` driver's group (a log group of the app, one it creates with
 * `awslogs-create-group`, which never expires, or one outside the app),
 * another driver (a destination the configuration does not hold), or
 * nothing (no log configuration keeps no output in CloudWatch).
 */
export function containerLogs(context: AnalysisContext, resource: Resource): ContainerLogs[] {
  const props = resource.properties;
  const terraform = resource.stack.format === 'terraform';
  const batch = resource.type.includes('atch');
  const attribute = batch ? (terraform ? 'container_properties' : 'ContainerProperties') : terraform ? 'container_definitions' : 'ContainerDefinitions';
  const raw = props[attribute];
  const parsed = terraform && typeof raw === 'string' ? parseJson(raw) : raw;
  if (parsed === undefined) return [];
  if (parsed instanceof Unresolved || parsed instanceof Reference) {
    const expression = parsed.expression;
    // Definitions built at plan time (jsonencode around references): the log groups the expression references are
    // where its awslogs driver writes; one that names no log configuration keeps nothing in CloudWatch.
    if (!/log/i.test(expression)) return [];
    const groups = parsed instanceof Unresolved ? parsed.references.map((key) => context.graph.get(key)).filter((candidate): candidate is Resource => candidate !== undefined && AWS_TYPES.logGroups.includes(candidate.type)) : [];
    if (/awslogs/.test(expression) && groups.length > 0) return [{ attribute, logs: { kind: 'resources', resources: groups } }];
    return [{ attribute, logs: { kind: 'unknown', found: `${attribute} = ${describeValue(parsed)}` } }];
  }
  const containers = batch ? [parsed] : asList(parsed);
  const out: ContainerLogs[] = [];
  containers.forEach((container, index) => {
    if (!isPlainObject(container)) return;
    const where = batch ? `${attribute}.LogConfiguration` : `${attribute}[${index}].LogConfiguration`;
    const config = container.LogConfiguration ?? container.logConfiguration;
    if (config === undefined || config === null) return;
    if (!isPlainObject(config)) {
      out.push({ attribute: where, logs: { kind: 'unknown', found: `${where} = ${describeValue(config)}` } });
      return;
    }
    const driver = config.LogDriver ?? config.logDriver;
    if (typeof driver !== 'string') {
      out.push({ attribute: where, logs: { kind: 'unknown', found: `${where}.LogDriver = ${describeValue(driver)}` } });
      return;
    }
    if (driver !== 'awslogs') {
      out.push({ attribute: where, logs: { kind: 'driver', driver } });
      return;
    }
    const options = config.Options ?? config.options;
    const group = isPlainObject(options) ? options['awslogs-group'] : undefined;
    const creates = isPlainObject(options) ? switchValue(options['awslogs-create-group']) : undefined;
    const resolved = group === undefined ? undefined : resolveResource(context, group, AWS_TYPES.logGroups);
    if (resolved) {
      out.push({ attribute: where, logs: { kind: 'resources', resources: [resolved] } });
      return;
    }
    const named = typeof group === 'string' ? context.graph.ofType(CFN.logGroup, TF_AWS.logGroup).filter((candidate) => candidate.properties[candidate.type === TF_AWS.logGroup ? 'name' : 'LogGroupName'] === group) : [];
    if (named.length > 0) out.push({ attribute: where, logs: { kind: 'resources', resources: named } });
    else if (typeof group === 'string' && creates === true) out.push({ attribute: where, logs: { kind: 'implicit', name: group } });
    else out.push({ attribute: where, logs: { kind: 'external', name: group === undefined ? '(no awslogs-group)' : (textOf(group) ?? describeValue(group)) } });
  });
  return out;
}

function parseJson(text: string): Value {
  try {
    return JSON.parse(text) as Value;
  } catch {
    return new Unresolved(text, 'container definitions that are not JSON');
  }
}

/** The log groups a function writes to. */
export function functionLogs(context: AnalysisContext, fn: Resource): FunctionLogs {
  const terraform = fn.stack.format === 'terraform';
  const name = fn.properties[terraform ? 'function_name' : 'FunctionName'];
  const nameText = typeof name === 'string' ? name : undefined;
  const configured = block(fn.properties[terraform ? 'logging_config' : 'LoggingConfig'])?.[terraform ? 'log_group' : 'LogGroup'];
  const groupName = configured !== undefined ? configured : `/aws/lambda/${nameText ?? '<generated name>'}`;
  const found: Resource[] = [];
  if (configured !== undefined) {
    const group = resolveResource(context, configured, AWS_TYPES.logGroups);
    if (group) found.push(group);
    else {
      // A group named by its literal name, else one outside the app: not the /aws/lambda/<name> group, which gets nothing.
      for (const candidate of context.graph.ofType(CFN.logGroup, TF_AWS.logGroup)) {
        const value = candidate.properties[candidate.type === TF_AWS.logGroup ? 'name' : 'LogGroupName'];
        if (typeof value === 'string' && typeof configured === 'string' && value === configured) found.push(candidate);
      }
      if (found.length === 0) return { kind: 'external', name: textOf(configured) ?? describeValue(configured) };
    }
  }
  if (found.length === 0) {
    for (const candidate of context.graph.ofType(CFN.logGroup, TF_AWS.logGroup, LOG_RETENTION_TYPE)) {
      const value = candidate.properties[candidate.type === TF_AWS.logGroup ? 'name' : 'LogGroupName'];
      if (namesFunctionGroup(value, fn, nameText)) found.push(candidate);
    }
  }
  return found.length > 0 ? { kind: 'resources', resources: found } : { kind: 'implicit', name: textOf(groupName as Value) ?? String(groupName) };
}

/** Whether a log group name is `/aws/lambda/<the function's name>`, written literally or built from a reference to the function. */
function namesFunctionGroup(value: Value | undefined, fn: Resource, functionName: string | undefined): boolean {
  if (typeof value === 'string') return functionName !== undefined && value === `/aws/lambda/${functionName}`;
  if (value instanceof Unresolved) return value.expression.includes('/aws/lambda/') && value.references.includes(fn.key);
  if (value instanceof Reference) return false;
  return false;
}

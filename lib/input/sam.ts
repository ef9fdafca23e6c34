/**
 * The AWS Serverless Application Model transform, for what the rules read:
 * a template that declares `Transform: AWS::Serverless-2016-10-31` deploys
 * the resources SAM generates, not the `AWS::Serverless::*` ones it holds. A
 * function becomes an `AWS::Lambda::Function` with the template's
 * `Globals.Function` merged in (environment variables by name), and, unless
 * it names its own `Role`, an execution role `<Function>Role` carrying its
 * `Policies` — inline statements, AWS managed policies by name or ARN; SAM's
 * policy templates (`DynamoDBCrudPolicy: {…}`) grant what their service does,
 * none of them Bedrock. A state machine with an inline `Definition` becomes an
 * `AWS::StepFunctions::StateMachine` the same way. Other serverless types are
 * left as they are (not inspected).
 */
import { isJsonObject } from '../core/values';

type Json = { [key: string]: unknown };

const SERVERLESS_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** Whether a template declares the SAM transform (alone or in a list). */
export function usesServerless(template: Json): boolean {
  const transform = template.Transform;
  return transform === SERVERLESS_TRANSFORM || (Array.isArray(transform) && transform.includes(SERVERLESS_TRANSFORM));
}

/** The template with its SAM functions and state machines replaced by what the transform generates for the rules to read. */
export function expandServerless(template: Json): Json {
  const resources = template.Resources as Json;
  const globals = isJsonObject(template.Globals) ? template.Globals : {};
  const out: Json = {};
  for (const logicalId of Object.keys(resources)) {
    const body = resources[logicalId];
    if (!isJsonObject(body)) {
      out[logicalId] = body;
      continue;
    }
    if (body.Type === 'AWS::Serverless::Function') {
      const properties = withGlobals(isJsonObject(globals.Function) ? globals.Function : {}, isJsonObject(body.Properties) ? body.Properties : {});
      const roleId = `${logicalId}Role`;
      out[logicalId] = { ...carried(body), Type: 'AWS::Lambda::Function', Properties: functionProperties(properties, roleId) };
      if (properties.Role === undefined && !Object.prototype.hasOwnProperty.call(resources, roleId)) out[roleId] = { ...carried(body), Type: 'AWS::IAM::Role', Properties: executionRole(properties, 'lambda.amazonaws.com') };
      continue;
    }
    if (body.Type === 'AWS::Serverless::StateMachine' && isJsonObject(body.Properties) && body.Properties.Definition !== undefined) {
      const properties = withGlobals(isJsonObject(globals.StateMachine) ? globals.StateMachine : {}, body.Properties);
      const roleId = `${logicalId}Role`;
      const { Definition, DefinitionSubstitutions, Name, Role } = properties;
      out[logicalId] = {
        ...carried(body),
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { Definition, ...(DefinitionSubstitutions !== undefined ? { DefinitionSubstitutions } : {}), ...(Name !== undefined ? { StateMachineName: Name } : {}), RoleArn: Role ?? { 'Fn::GetAtt': [roleId, 'Arn'] } },
      };
      if (Role === undefined && !Object.prototype.hasOwnProperty.call(resources, roleId)) out[roleId] = { ...carried(body), Type: 'AWS::IAM::Role', Properties: executionRole(properties, 'states.amazonaws.com') };
      continue;
    }
    out[logicalId] = body;
  }
  return { ...template, Resources: out };
}

/** What a generated resource keeps of the SAM resource: its condition and metadata (the construct path). */
function carried(body: Json): Json {
  return { ...(body.Condition !== undefined ? { Condition: body.Condition } : {}), ...(body.Metadata !== undefined ? { Metadata: body.Metadata } : {}) };
}

/** A resource's properties over the template's Globals for its type: maps merged by key, the resource's own values winning. */
function withGlobals(globals: Json, own: Json): Json {
  const merged: Json = { ...globals, ...own };
  for (const key of Object.keys(globals)) {
    const global = globals[key];
    const value = own[key];
    if (isJsonObject(global) && isJsonObject(value)) merged[key] = withGlobals(global, value);
  }
  return merged;
}

function functionProperties(properties: Json, roleId: string): Json {
  const out: Json = {};
  for (const key of ['FunctionName', 'Runtime', 'Handler', 'Environment', 'LoggingConfig', 'VpcConfig', 'KmsKeyArn', 'Architectures', 'MemorySize', 'Timeout', 'Tags']) {
    if (properties[key] !== undefined) out[key] = properties[key];
  }
  if (typeof properties.InlineCode === 'string') out.Code = { ZipFile: properties.InlineCode };
  out.Role = properties.Role ?? { 'Fn::GetAtt': [roleId, 'Arn'] };
  return out;
}

/** The execution role SAM generates: the service's trust, the basic managed policy, and the function's `Policies`. */
function executionRole(properties: Json, service: string): Json {
  const inline: Json[] = [];
  const managed: unknown[] = service === 'lambda.amazonaws.com' ? ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] : [];
  const policies = properties.Policies === undefined || properties.Policies === null ? [] : Array.isArray(properties.Policies) ? properties.Policies : [properties.Policies];
  policies.forEach((policy, index) => {
    // An entry left empty (every line of it commented out) attaches nothing.
    if (policy === null || policy === undefined) return;
    if (typeof policy === 'string') managed.push(policy.startsWith('arn:') ? policy : `arn:aws:iam::aws:policy/${policy}`);
    else if (isJsonObject(policy) && policy.Statement !== undefined) inline.push({ PolicyName: `Policy${index}`, PolicyDocument: policy });
    else if (isJsonObject(policy) && Object.keys(policy).length === 1 && !Object.keys(policy)[0].startsWith('Fn::') && Object.keys(policy)[0] !== 'Ref') return;
    // A policy ARN from a parameter or another intrinsic is attached as it resolves.
    else managed.push(policy);
  });
  return {
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] },
    ...(managed.length > 0 ? { ManagedPolicyArns: managed } : {}),
    ...(inline.length > 0 ? { Policies: inline } : {}),
    ...(properties.PermissionsBoundary !== undefined ? { PermissionsBoundary: properties.PermissionsBoundary } : {}),
  };
}

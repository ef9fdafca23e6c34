import { cloudOfCloudFormationType, Resource, StackInfo } from '../core/graph';
import { InputError } from '../core/errors';
import { CFN_PROVIDERS_METADATA, declarationResources } from './provider-declarations';
import { expandServerless, usesServerless } from './sam';
import { Reference, Unresolved, Value, hasOwn, isJsonObject, isPlainObject, setOwn } from '../core/values';

/** Marks a property removed by `Ref: AWS::NoValue`. */
const NO_VALUE = Symbol('AWS::NoValue');

interface TemplateContext {
  readonly stack: StackInfo;
  readonly template: { [key: string]: unknown };
  readonly resourceIds: ReadonlySet<string>;
  readonly file: string;
  /** Conditions evaluated so far (`undefined`: known only at deploy time). */
  readonly conditions: Map<string, boolean | undefined>;
  /** Conditions being evaluated: one that depends on itself is not evaluated twice. */
  readonly evaluating: Set<string>;
}

/**
 * Turns one CloudFormation template into graph resources, resolving intrinsic
 * functions as far as the template allows. Anything decided at deploy time
 * (parameters, imports, AZ lists) becomes `Unresolved`.
 *
 * @param pathsByLogicalId construct paths from the cloud assembly manifest, used
 *   when the template carries no `aws:cdk:path` metadata.
 */
export function resourcesFromTemplate(
  template: unknown,
  stack: StackInfo,
  pathsByLogicalId: { get(logicalId: string): string | undefined } = new Map(),
): Resource[] {
  if (!isJsonObject(template) || !isJsonObject(template.Resources)) {
    throw new InputError(`${stack.file}: not a CloudFormation template (no "Resources" object)`, 'check that the file is a synthesized template');
  }
  // A SAM template deploys what the transform generates from it: read that.
  if (usesServerless(template)) template = expandServerless(template);
  const document = template as { [key: string]: unknown };
  const resourcesSection = document.Resources as { [key: string]: unknown };
  const context: TemplateContext = {
    stack,
    template: document,
    resourceIds: new Set(Object.keys(resourcesSection)),
    file: stack.file,
    conditions: new Map(),
    evaluating: new Set(),
  };
  const resources: Resource[] = [];
  for (const logicalId in resourcesSection) {
    const body = resourcesSection[logicalId];
    if (!isJsonObject(body) || typeof body.Type !== 'string') {
      throw new InputError(`${stack.file}: resource "${logicalId}" has no "Type"`, 'regenerate the template');
    }
    if (body.Properties !== undefined && !isJsonObject(body.Properties)) {
      throw new InputError(`${stack.file}: resource "${logicalId}" has Properties that are not an object (${body.Properties === null ? 'null' : Array.isArray(body.Properties) ? 'a list' : typeof body.Properties})`, 'regenerate the template');
    }
    // A resource with a condition exists only when the condition holds: one that is false is not created.
    const existence = body.Condition === undefined ? true : resourceCondition(body.Condition, context);
    if (existence === false) continue;
    const metadata = isJsonObject(body.Metadata) ? (resolve(body.Metadata, context) as { [key: string]: Value }) : undefined;
    const cdkPath = metadata && typeof metadata['aws:cdk:path'] === 'string' ? (metadata['aws:cdk:path'] as string) : undefined;
    const properties = isJsonObject(body.Properties) ? resolve(body.Properties, context) : {};
    resources.push({
      key: `${stack.name}/${logicalId}`,
      id: logicalId,
      type: body.Type,
      cloud: cloudOfCloudFormationType(body.Type),
      stack,
      path: cdkPath ?? pathsByLogicalId.get(logicalId),
      properties: isPlainObject(properties) ? properties : {},
      metadata,
      ...(existence instanceof Unresolved ? { existence } : {}),
    });
  }
  // Declared external providers (the CDK construct writes them into the template's Metadata): resources to judge.
  const declared = isJsonObject(document.Metadata) ? document.Metadata[CFN_PROVIDERS_METADATA] : undefined;
  if (declared !== undefined) resources.push(...declarationResources(declared, stack, `${stack.file}: Metadata.${CFN_PROVIDERS_METADATA}`));
  return resources;
}

function resolve(value: unknown, context: TemplateContext): Value {
  const result = resolveInner(value, context);
  return result === NO_VALUE ? null : result;
}

/**
 * Resolves the intrinsic functions inside a value. Parts without any are
 * returned as parsed, not copied: most of a template is plain data, and a copy
 * of it would only add work for the garbage collector.
 */
function resolveInner(value: unknown, context: TemplateContext): Value | typeof NO_VALUE {
  if (Array.isArray(value)) {
    let out: Value[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const resolved = resolveInner(item, context);
      if (out === undefined && resolved !== item) out = value.slice(0, index) as Value[];
      if (out !== undefined && resolved !== NO_VALUE) out.push(resolved);
    }
    return out ?? (value as Value[]);
  }
  if (!isJsonObject(value)) return typeof value === 'string' && value.includes(DYNAMIC_REFERENCE) ? dynamicReference(value) : (value as Value);
  // Keys are walked with for-in, which allocates nothing for parsed objects (Object.keys copies them into a new array).
  let only: string | undefined;
  let count = 0;
  for (const key in value) {
    if (count++ > 0) break;
    only = key;
  }
  if (count === 1 && (only === 'Ref' || only!.startsWith('Fn::') || only === 'Condition')) return intrinsic(only!, value[only!], context);
  let out: { [key: string]: Value } | undefined;
  for (const key in value) {
    const item = value[key];
    const resolved = resolveInner(item, context);
    if (out === undefined && resolved !== item) {
      out = {};
      for (const earlier in value) {
        if (earlier === key) break;
        setOwn(out, earlier, value[earlier] as Value);
      }
    }
    if (out !== undefined && resolved !== NO_VALUE) setOwn(out, key, resolved);
  }
  return out ?? (value as { [key: string]: Value });
}

function intrinsic(name: string, argument: unknown, context: TemplateContext): Value | typeof NO_VALUE {
  // The two most frequent functions first, before the expression (for messages) is written out.
  if (name === 'Ref') return ref(String(argument), context);
  if (name === 'Fn::GetAtt') {
    const [logicalId, attribute] = Array.isArray(argument) ? argument.map(String) : String(argument).split(/\.(.*)/s);
    if (context.resourceIds.has(logicalId)) return new Reference(`${context.stack.name}/${logicalId}`, attribute, `${logicalId}.${attribute}`);
    return new Unresolved(`{"${name}": ${JSON.stringify(argument)}}`, `Fn::GetAtt of "${logicalId}", which is not in the template`);
  }
  const expression = `{"${name}": ${JSON.stringify(argument)}}`;
  switch (name) {
    case 'Fn::Sub':
      return sub(argument, context, expression);
    case 'Fn::Join': {
      if (!Array.isArray(argument) || argument.length !== 2) return new Unresolved(expression, 'malformed Fn::Join');
      const separator = argument[0];
      const parts = resolve(argument[1], context);
      if (typeof separator !== 'string' || !Array.isArray(parts)) return new Unresolved(expression, 'Fn::Join over a list that cannot be resolved', mentioned(parts));
      return joinStrings(parts, separator, expression);
    }
    case 'Fn::Select': {
      if (!Array.isArray(argument) || argument.length !== 2) return new Unresolved(expression, 'malformed Fn::Select');
      const index = resolve(argument[0], context);
      const list = resolve(argument[1], context);
      const position = typeof index === 'string' ? Number(index) : index;
      if (typeof position === 'number' && Array.isArray(list) && position >= 0 && position < list.length) return list[position];
      return new Unresolved(expression, 'Fn::Select over a list that cannot be resolved', mentioned(list));
    }
    case 'Fn::Split': {
      if (!Array.isArray(argument) || argument.length !== 2) return new Unresolved(expression, 'malformed Fn::Split');
      const source = resolve(argument[1], context);
      if (typeof argument[0] === 'string' && typeof source === 'string') return source.split(argument[0]);
      return new Unresolved(expression, 'Fn::Split of a value that cannot be resolved', mentioned(source));
    }
    case 'Fn::FindInMap': {
      const [map, first, second] = Array.isArray(argument) ? argument.slice(0, 3).map((item) => resolve(item, context)) : [];
      const mappings = context.template.Mappings;
      if (typeof map === 'string' && typeof first === 'string' && typeof second === 'string' && isJsonObject(mappings)) {
        // Only the template's own keys: a key named like an inherited property (`constructor`) is no entry.
        const step = (table: unknown, key: string): unknown => (isJsonObject(table) && hasOwn(table, key) ? table[key] : undefined);
        const entry = step(step(step(mappings, map), first), second);
        if (entry !== undefined) return resolve(entry, context);
        // The AWS::LanguageExtensions transform lets a missing entry fall back to a DefaultValue.
        const fallback = Array.isArray(argument) && isJsonObject(argument[3]) && hasOwn(argument[3], 'DefaultValue') ? argument[3].DefaultValue : undefined;
        if (fallback !== undefined && usesLanguageExtensions(context.template)) return resolve(fallback, context);
      }
      return new Unresolved(expression, 'Fn::FindInMap with a key that cannot be resolved');
    }
    case 'Fn::If': {
      if (!Array.isArray(argument) || argument.length !== 3) return new Unresolved(expression, 'malformed Fn::If');
      const condition = evaluateCondition(String(argument[0]), context);
      if (condition === true) return resolveInner(argument[1], context);
      if (condition === false) return resolveInner(argument[2], context);
      return new Unresolved(expression, `condition "${argument[0]}" depends on deploy-time values`, [
        ...mentioned(resolve(argument[1], context)),
        ...mentioned(resolve(argument[2], context)),
      ]);
    }
    case 'Fn::Base64': {
      const inner = resolve(argument, context);
      return typeof inner === 'string' ? inner : new Unresolved(expression, 'Fn::Base64 of an unresolved value', mentioned(inner));
    }
    case 'Fn::ImportValue':
      return new Unresolved(expression, 'value imported from another stack at deploy time');
    case 'Fn::GetAZs':
      return new Unresolved(expression, 'availability zones are looked up at deploy time');
    default:
      return new Unresolved(expression, `intrinsic function ${name} is evaluated at deploy time`, mentioned(resolve(argument, context)));
  }
}

function ref(name: string, context: TemplateContext): Value | typeof NO_VALUE {
  const { stack } = context;
  switch (name) {
    case 'AWS::NoValue':
      return NO_VALUE;
    case 'AWS::Region':
      return stack.region ?? new Unresolved('AWS::Region', 'the stack has no region');
    case 'AWS::AccountId':
      return stack.account ?? new Unresolved('AWS::AccountId', 'the stack has no account');
    case 'AWS::Partition':
      return typeof stack.region === 'string' ? partitionOf(stack.region) : new Unresolved('AWS::Partition', 'the stack has no region');
    case 'AWS::URLSuffix':
      return typeof stack.region === 'string' && stack.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    case 'AWS::StackName':
      return stack.name;
    case 'AWS::StackId':
    case 'AWS::NotificationARNs':
      return new Unresolved(name, 'known only at deploy time');
  }
  if (context.resourceIds.has(name)) return new Reference(`${stack.name}/${name}`, undefined, name);
  const parameters = context.template.Parameters;
  if (isJsonObject(parameters) && hasOwn(parameters, name)) {
    return new Unresolved(`Ref ${name}`, `CloudFormation parameter "${name}" is chosen at deploy time`);
  }
  return new Unresolved(`Ref ${name}`, `"${name}" is neither a resource nor a parameter of the template`);
}

function sub(argument: unknown, context: TemplateContext, expression: string): Value {
  let template: unknown = argument;
  let variables: { [key: string]: unknown } = {};
  if (Array.isArray(argument)) {
    template = argument[0];
    if (isJsonObject(argument[1])) variables = argument[1];
  }
  if (typeof template !== 'string') return new Unresolved(expression, 'malformed Fn::Sub');
  const parts: Value[] = [];
  let last = 0;
  const pattern = /\$\{(!?)([^}]*)\}/g;
  for (let match = pattern.exec(template); match; match = pattern.exec(template)) {
    parts.push(template.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[1] === '!') {
      parts.push('${' + match[2] + '}');
      continue;
    }
    const name = match[2].trim();
    if (hasOwn(variables, name)) {
      parts.push(resolve(variables[name], context));
    } else if (name.includes('.') && !name.startsWith('AWS::')) {
      const [logicalId, attribute] = name.split(/\.(.*)/s);
      parts.push(intrinsic('Fn::GetAtt', [logicalId, attribute], context) as Value);
    } else {
      const value = ref(name, context);
      parts.push(value === NO_VALUE ? '' : value);
    }
  }
  parts.push(template.slice(last));
  return joinStrings(parts, '', expression);
}

/** What starts a dynamic reference: `{{resolve:ssm:…}}`, `{{resolve:secretsmanager:…}}`, resolved by CloudFormation at deploy time. */
const DYNAMIC_REFERENCE = '{{resolve:';

function dynamicReference(text: string): Unresolved {
  const service = /\{\{resolve:([a-z-]+):/.exec(text)?.[1] ?? 'a service';
  return new Unresolved(text, `a dynamic reference to ${service === 'ssm' || service === 'ssm-secure' ? 'a Systems Manager parameter' : service === 'secretsmanager' ? 'a Secrets Manager secret' : service}, resolved at deploy time`);
}

function joinStrings(parts: readonly Value[], separator: string, expression: string): Value {
  if (parts.every((part) => typeof part === 'string' || typeof part === 'number')) {
    const joined = parts.join(separator);
    return joined.includes(DYNAMIC_REFERENCE) ? dynamicReference(joined) : joined;
  }
  // Keep the literal text around unresolved pieces so that rules can still read
  // e.g. the service and resource type of an ARN whose account is unknown.
  const rendered = parts.map((part) => (typeof part === 'string' || typeof part === 'number' ? String(part) : `\${${String(part)}}`)).join(separator);
  return new Unresolved(rendered === expression ? expression : rendered, 'built from values known only at deploy time', mentioned(parts));
}

/** Whether a template declares the `AWS::LanguageExtensions` transform (alone or in a list). */
function usesLanguageExtensions(template: { [key: string]: unknown }): boolean {
  const transform = template.Transform;
  return transform === 'AWS::LanguageExtensions' || (Array.isArray(transform) && transform.includes('AWS::LanguageExtensions'));
}

/** Whether a resource with a `Condition` exists: true, false, or known only at deploy time (why). */
function resourceCondition(name: unknown, context: TemplateContext): boolean | Unresolved {
  if (typeof name !== 'string') return new Unresolved(`Condition: ${JSON.stringify(name)}`, 'its Condition is not the name of a condition');
  const holds = evaluateCondition(name, context);
  if (holds !== undefined) return holds;
  const conditions = context.template.Conditions;
  const declared = isJsonObject(conditions) && hasOwn(conditions, name);
  return new Unresolved(
    `Condition: ${name}`,
    declared ? `it is created only when condition "${name}" holds, which depends on values known only at deploy time (parameters, imports)` : `its condition "${name}" is not declared in the template's Conditions`,
  );
}

function evaluateCondition(name: string, context: TemplateContext): boolean | undefined {
  const conditions = context.template.Conditions;
  if (!isJsonObject(conditions) || !hasOwn(conditions, name)) return undefined;
  if (context.conditions.has(name)) return context.conditions.get(name);
  // A condition that depends on itself (CloudFormation rejects it) is not known.
  if (context.evaluating.has(name)) return undefined;
  context.evaluating.add(name);
  try {
    const holds = evaluateConditionBody(conditions[name], context);
    context.conditions.set(name, holds);
    return holds;
  } finally {
    context.evaluating.delete(name);
  }
}

function evaluateConditionBody(body: unknown, context: TemplateContext): boolean | undefined {
  if (!isJsonObject(body)) return undefined;
  const [key] = Object.keys(body);
  const argument = body[key];
  const list = Array.isArray(argument) ? argument : [];
  switch (key) {
    case 'Condition':
      return evaluateCondition(String(argument), context);
    case 'Fn::Equals': {
      const [left, right] = list.map((item) => resolve(item, context));
      if ((typeof left === 'string' || typeof left === 'number') && (typeof right === 'string' || typeof right === 'number')) return String(left) === String(right);
      return undefined;
    }
    case 'Fn::Not': {
      const inner = evaluateConditionBody(list[0], context);
      return inner === undefined ? undefined : !inner;
    }
    case 'Fn::And': {
      const values = list.map((item) => evaluateConditionBody(item, context));
      if (values.includes(false)) return false;
      return values.every((item) => item === true) ? true : undefined;
    }
    case 'Fn::Or': {
      const values = list.map((item) => evaluateConditionBody(item, context));
      if (values.includes(true)) return true;
      return values.every((item) => item === false) ? false : undefined;
    }
    default:
      return undefined;
  }
}

function mentioned(value: unknown): string[] {
  const out: string[] = [];
  const visit = (item: unknown): void => {
    if (item instanceof Reference) out.push(item.target);
    else if (item instanceof Unresolved) out.push(...item.references);
    else if (Array.isArray(item)) item.forEach(visit);
    else if (isPlainObject(item)) Object.values(item).forEach(visit);
  };
  visit(value);
  return out;
}

/** The AWS partition of a region code. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

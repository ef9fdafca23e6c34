import { cloudOfTerraformType, Resource, StackInfo } from '../core/graph';
import { InputError } from '../core/errors';
import { Reference, Unresolved, Value, hasOwn, isJsonObject, isPlainObject, setOwn } from '../core/values';
import { MAX_DOCUMENT_DEPTH } from './json-file';

interface PlannedResource {
  address: string;
  mode?: string;
  type: string;
  name: string;
  values?: { [key: string]: unknown };
  provider_name?: string;
}

/**
 * Reads the output of `terraform show -json <plan>`: planned values, with
 * every value known only after apply — an attribute, an argument of a nested
 * block (`logging_config[0].s3_config[0].bucket_name`), a list element or a
 * whole block — turned into a reference (when the configuration says what it
 * refers to) or `Unresolved`: unknown, never absent.
 */
export function resourcesFromPlan(plan: { [key: string]: unknown }, stack: StackInfo): Resource[] {
  const root = (plan.planned_values as { root_module?: unknown } | undefined)?.root_module;
  if (!isJsonObject(root)) throw new InputError(`${stack.file}: plan has no planned_values.root_module`, 'produce it with `terraform show -json <planfile>`');
  const planned: PlannedResource[] = [];
  collect(root, planned);

  // The planned instances of each resource (one for a resource without count or for_each).
  const instancesByBase = new Map<string, string[]>();
  for (const item of planned) {
    const base = item.address.replace(/\[[^\]]*\]$/, '');
    const list = instancesByBase.get(base);
    if (list) list.push(item.address);
    else instancesByBase.set(base, [item.address]);
  }
  const unknownByAddress = new Map<string, { [key: string]: unknown }>();
  for (const change of asArray((plan as { resource_changes?: unknown }).resource_changes)) {
    // A deposed object (`deposed`: an old instance that create_before_destroy has not destroyed yet) shares the address and is only
    // deleted: its change says nothing of the planned values, and must not replace the change of the planned instance.
    if (isJsonObject(change) && typeof change.address === 'string' && change.deposed === undefined && isJsonObject(change.change) && isJsonObject(change.change.after_unknown)) {
      unknownByAddress.set(change.address, change.change.after_unknown);
    }
  }
  const configuration = isJsonObject(plan.configuration) ? plan.configuration : {};
  // The configuration of every module, by configuration address (module.a.module.b.type.name): expressions and provider keys.
  const expressionsByAddress = new Map<string, { [key: string]: unknown }>();
  const moduleOutputs = new Map<string, unknown>();
  const providerKeyByAddress = new Map<string, string>();
  const forEachByAddress = new Map<string, unknown>();
  walkConfiguration(isJsonObject(configuration.root_module) ? configuration.root_module : {}, '', { expressions: expressionsByAddress, providerKeys: providerKeyByAddress, outputs: moduleOutputs, forEach: forEachByAddress }, 0);
  const providerConfigs = isJsonObject(configuration.provider_config) ? configuration.provider_config : {};

  const index: PlanIndex = { stack, instancesByBase, moduleOutputs, forEach: forEachByAddress };
  return planned.map((item): Resource => {
    const base = item.address.replace(/\[[^\]]*\]$/, '');
    // module.a["x"].type.name[0] → module.a.type.name in the configuration; module.a["x"]. resolves the module's own references.
    const configAddress = base.replace(/\[[^\]]*\]/g, '');
    const instance: PlannedInstance = {
      configAddress,
      modulePrefix: base.slice(0, base.length - `${item.type}.${item.name}`.length),
      ownIndex: /\[[^\]]*\]$/.exec(item.address)?.[0],
    };
    const properties: { [key: string]: Value } = {};
    for (const [key, value] of Object.entries(item.values ?? {})) setOwn(properties, key, value as Value);
    const expressions = expressionsByAddress.get(configAddress) ?? {};
    const configured = expressionsByAddress.has(configAddress);
    for (const path of unknownPaths(unknownByAddress.get(item.address) ?? {}, item.address)) {
      // An argument the provider computes when the configuration leaves it unset reads the remote object, not a choice
      // of the configuration: absent, as in the HCL the plan came from.
      if (configured && path.length === 1 && typeof path[0] === 'string' && (COMPUTED_WHEN_UNSET[item.type] ?? []).includes(path[0]) && !hasOwn(expressions, path[0])) continue;
      placeUnknown(properties, path, unknownValueAt(path, properties, expressions, instance, index));
    }
    const providerKey = providerKeyByAddress.get(configAddress) ?? item.type.split('_')[0];
    return {
      key: `${stack.name}/${item.address}`,
      id: item.address,
      type: item.type,
      cloud: cloudOfTerraformType(item.type),
      stack,
      properties,
      providerConfig: providerConfigOf(providerConfigs[providerKey]),
    };
  });
}

/**
 * Optional and computed arguments the AWS provider marks known only after
 * apply whenever the configuration does not set them (it reads them back
 * from the created object): an `aws_iam_role` planned without `inline_policy`
 * or `managed_policy_arns` has neither in its configuration.
 */
const COMPUTED_WHEN_UNSET: { readonly [type: string]: readonly string[] } = {
  aws_iam_role: ['inline_policy', 'managed_policy_arns'],
};

/** What every resource of a plan resolves its unknown values against. */
interface PlanIndex {
  readonly stack: StackInfo;
  /** The planned instances of each resource, by address without the instance key. */
  readonly instancesByBase: ReadonlyMap<string, readonly string[]>;
  readonly moduleOutputs: ReadonlyMap<string, unknown>;
  /** A resource's `for_each` expression, by configuration address. */
  readonly forEach: ReadonlyMap<string, unknown>;
}

/** Where one planned instance sits: what its configuration's references are relative to. */
interface PlannedInstance {
  /** `module.a.type.name`: the address of its configuration. */
  readonly configAddress: string;
  /** `module.a["x"].`: the module instance whose own resources its expressions name. */
  readonly modulePrefix: string;
  /** The instance key (`["chat"]`, `[0]`): what `each.key` and `count.index` stand for in its expressions. */
  readonly ownIndex: string | undefined;
}

/** A step into properties: an object key, or a position in a list. */
type PathStep = string | number;

/**
 * The paths that `after_unknown` flags true, at any depth: an attribute, a
 * nested block's attribute (`logging_config[0].s3_config[0].bucket_name`),
 * a list element, or a whole block or list. Walked without recursion.
 */
function unknownPaths(afterUnknown: { [key: string]: unknown }, address: string): PathStep[][] {
  const paths: PathStep[][] = [];
  const pending: [unknown, PathStep[]][] = Object.keys(afterUnknown)
    .reverse()
    .map((key) => [afterUnknown[key], [key]]);
  while (pending.length > 0) {
    const [flag, path] = pending.pop()!;
    if (flag === true) {
      paths.push(path);
      continue;
    }
    if (!Array.isArray(flag) && !isJsonObject(flag)) continue;
    if (path.length >= MAX_DOCUMENT_DEPTH) throw new InputError(`plan: after_unknown of ${address} nests deeper than ${MAX_DOCUMENT_DEPTH} levels`, 'produce the plan with `terraform show -json <planfile>`');
    if (Array.isArray(flag)) for (let position = flag.length - 1; position >= 0; position--) pending.push([flag[position], [...path, position]]);
    else for (const key of Object.keys(flag).reverse()) pending.push([flag[key], [...path, key]]);
  }
  return paths;
}

/**
 * Sets the value at a path of the properties, making the objects and lists
 * on the way that the planned values leave out. A part on the way that is
 * not the container the path needs (the plan contradicts itself) becomes the
 * unknown value itself: unknown, never absent.
 */
function placeUnknown(properties: { [key: string]: Value }, path: readonly PathStep[], value: Value): void {
  let holder: { [key: string]: Value } | Value[] = properties;
  for (let step = 0; step < path.length; step++) {
    const key = path[step];
    if (step === path.length - 1) {
      write(holder, key, value);
      return;
    }
    const wantsList = typeof path[step + 1] === 'number';
    let child = read(holder, key);
    if (child === undefined || child === null) {
      child = wantsList ? [] : {};
      write(holder, key, child);
    }
    if (Array.isArray(child) && wantsList) holder = child;
    else if (isPlainObject(child) && !wantsList) holder = child;
    else {
      write(holder, key, value);
      return;
    }
  }
}

function read(holder: Value | undefined, key: PathStep): Value | undefined {
  if (Array.isArray(holder)) return typeof key === 'number' ? holder[key] : undefined;
  return isPlainObject(holder) && typeof key === 'string' && hasOwn(holder, key) ? holder[key] : undefined;
}

function write(holder: { [key: string]: Value } | Value[], key: PathStep, value: Value): void {
  if (Array.isArray(holder)) {
    if (typeof key !== 'number') return;
    while (holder.length < key) holder.push(null);
    holder[key] = value;
  } else if (typeof key === 'string') {
    setOwn(holder, key, value);
  }
}

/**
 * An attribute's expression in the plan's configuration (`{ references }`
 * or `{ constant_value }`), as against a block of them (an object of
 * attribute expressions) or a list of blocks.
 */
function isAttributeExpression(node: unknown): node is { [key: string]: unknown } {
  return isJsonObject(node) && ('constant_value' in node || Array.isArray(node.references));
}

/**
 * The value known only after apply at a path of a resource's properties:
 * what the configuration's expression at the same path refers to. Nested
 * blocks are objects (single blocks) or lists of blocks in the
 * configuration; the block of a list that set an element is the one whose
 * constant arguments agree with the element's planned values — a set of
 * blocks is listed in an order of its own, and dynamic blocks are not in the
 * configuration at all. Where more than one block may have set it, the value
 * is unresolved and names what each of them refers to.
 */
function unknownValueAt(path: readonly PathStep[], properties: { readonly [key: string]: Value }, expressions: { [key: string]: unknown }, instance: PlannedInstance, index: PlanIndex): Value {
  let candidates: unknown[] = [expressions];
  let certain = true;
  let planned: Value | undefined = properties as { [key: string]: Value };
  for (const key of path) {
    const next: unknown[] = [];
    for (const node of candidates) {
      if (isAttributeExpression(node)) {
        // An attribute's expression covers everything inside its value (a list, a map, a nested attribute).
        next.push(node);
      } else if (typeof key === 'number' && Array.isArray(node)) {
        const element = Array.isArray(planned) ? planned[key] : undefined;
        const agreeing = node.filter((block) => agreesWith(block, element));
        if (agreeing.length !== 1 || !Array.isArray(planned) || node.length !== planned.length) certain = false;
        next.push(...agreeing);
      } else if (typeof key === 'string' && isJsonObject(node) && hasOwn(node, key)) {
        next.push(node[key]);
      }
    }
    candidates = [...new Set(next)];
    planned = read(planned, key);
  }
  if (candidates.length === 1 && isAttributeExpression(candidates[0]) && certain) return unknownValue(candidates[0], instance, index, true);
  // Several blocks, or a whole block or list known only after apply: what any expression inside refers to, never one reference.
  const texts = new Set<string>();
  for (const candidate of candidates) for (const text of referenceTexts(candidate)) texts.add(text);
  return unknownValue({ references: [...texts] }, instance, index, false);
}

/** Whether a configured block may be the planned element: no constant argument of it differs from a known planned value. */
function agreesWith(block: unknown, element: Value | undefined): boolean {
  if (!isJsonObject(block) || isAttributeExpression(block)) return false;
  if (!isPlainObject(element)) return true;
  for (const [key, expression] of Object.entries(block)) {
    if (!isJsonObject(expression) || !('constant_value' in expression) || !hasOwn(element, key)) continue;
    const constant = expression.constant_value;
    const value = element[key];
    // HCL writes `days = "30"` for a number argument: compare the text of both.
    const scalar = (item: unknown): item is string | number | boolean => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean';
    if (scalar(constant) && scalar(value) && String(constant) !== String(value)) return false;
  }
  return true;
}

/** The reference texts of every attribute expression in a configuration node (an attribute, a block, a list of blocks), walked without recursion. */
function referenceTexts(node: unknown): string[] {
  const texts: string[] = [];
  const pending: [unknown, number][] = [[node, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (isAttributeExpression(current)) {
      for (const text of asArray(current.references)) if (typeof text === 'string') texts.push(text);
    } else if (depth < MAX_DOCUMENT_DEPTH && (Array.isArray(current) || isJsonObject(current))) {
      for (const child of Object.values(current)) pending.push([child, depth + 1]);
    }
  }
  return texts;
}

/**
 * What an attribute known only after apply stands for, from its expression:
 * a reference to the one resource instance it names, or else unresolved,
 * naming every instance it may name. `single` is false where the expression
 * stands for more than the value (a whole block, several blocks): then the
 * value is never taken for one reference.
 */
function unknownValue(expression: unknown, instance: PlannedInstance, index: PlanIndex, single: boolean): Reference | Unresolved {
  const raw = isJsonObject(expression) && Array.isArray(expression.references) ? expression.references.filter((text): text is string => typeof text === 'string') : [];
  // `this[each.key]` or `this[count.index]`: the plan keeps only the names an index uses, not the index itself, so
  // the referring resource's own key is taken only when nothing else could be the index (no each.value, no other
  // variable) — and then only where the referenced resource has that very key.
  const perInstance = raw.some((text) => text === 'each.key' || text === 'count.index') && !raw.some((text) => text.startsWith('each.value') || text.startsWith('var.') || text.startsWith('local.'));
  let references = referencesOf(expression, instance.modulePrefix, index.moduleOutputs);
  let viaForEach = false;
  // `each.value.id` under `for_each = azurerm_x.y`: the instance of azurerm_x.y with this resource's key.
  if (references.length === 0 && raw.some((text) => text.startsWith('each.value'))) {
    viaForEach = true;
    const attribute = raw.find((text) => text.startsWith('each.value.'))?.slice('each.value.'.length);
    references = referencesOf(index.forEach.get(instance.configAddress), instance.modulePrefix, index.moduleOutputs).map((reference) => ({ resource: reference.resource, attribute, text: `each.value${attribute ? `.${attribute}` : ''} of ${reference.text}` }));
  }
  const instances = references.map((reference) => instanceOf(reference, index.instancesByBase, perInstance || viaForEach ? instance.ownIndex : undefined));
  const keys = [...new Set(instances.flat().map((address) => `${index.stack.name}/${address}`))];
  const text = references.length > 0 ? references.map((reference) => reference.text).join(', ') : `(known after apply)`;
  if (single && keys.length === 1 && references.length === 1) return new Reference(keys[0], references[0].attribute, `\${${references[0].text}}`);
  return new Unresolved(text, single && references.length === 1 && keys.length > 1 ? `known only after apply, and it may name any of ${keys.length} instances` : 'known only after apply', keys);
}

/**
 * The planned instances a reference may name: the one its index names
 * (`ws["openai"]`, `ws[0]`), the one with the referring resource's own key
 * when the expression is per instance (`this[each.key]`, `this[count.index]`),
 * the only one, or else every one of them.
 */
function instanceOf(reference: { readonly resource: string; readonly index?: string }, instancesByBase: ReadonlyMap<string, readonly string[]>, ownIndex: string | undefined): readonly string[] {
  const instances = instancesByBase.get(reference.resource) ?? [];
  if (reference.index !== undefined) {
    const exact = `${reference.resource}${reference.index}`;
    return instances.includes(exact) ? [exact] : [];
  }
  if (instances.length <= 1) return instances;
  if (ownIndex !== undefined && instances.includes(`${reference.resource}${ownIndex}`)) return [`${reference.resource}${ownIndex}`];
  return instances;
}

function collect(module: { [key: string]: unknown }, into: PlannedResource[]): void {
  for (const item of asArray(module.resources)) {
    if (isJsonObject(item) && item.mode !== 'data' && typeof item.address === 'string' && typeof item.type === 'string') {
      into.push(item as unknown as PlannedResource);
    }
  }
  for (const child of asArray(module.child_modules)) if (isJsonObject(child)) collect(child, into);
}

interface ConfigurationIndex {
  readonly expressions: Map<string, { [key: string]: unknown }>;
  readonly providerKeys: Map<string, string>;
  /** `module.m.<output>` (under its caller's prefix) → the output's expression, whose references are the module's own. */
  readonly outputs: Map<string, unknown>;
  /** A resource's `for_each` expression, by configuration address. */
  readonly forEach: Map<string, unknown>;
}

/** Records the expressions and provider keys of a module's resources, and of the modules it calls, by configuration address. */
function walkConfiguration(module: { [key: string]: unknown }, prefix: string, index: ConfigurationIndex, depth: number): void {
  if (depth > 32) throw new InputError('plan configuration: modules nest deeper than 32 levels', 'produce the plan with `terraform show -json <planfile>`');
  for (const item of asArray(module.resources)) {
    if (!isJsonObject(item) || typeof item.address !== 'string') continue;
    if (isJsonObject(item.expressions)) index.expressions.set(`${prefix}${item.address}`, item.expressions);
    if (typeof item.provider_config_key === 'string') index.providerKeys.set(`${prefix}${item.address}`, item.provider_config_key);
    if (item.for_each_expression !== undefined) index.forEach.set(`${prefix}${item.address}`, item.for_each_expression);
  }
  if (!isJsonObject(module.module_calls)) return;
  for (const [name, call] of Object.entries(module.module_calls)) {
    if (!isJsonObject(call) || !isJsonObject(call.module)) continue;
    const child = `${prefix}module.${name}.`;
    if (isJsonObject(call.module.outputs)) {
      for (const [output, definition] of Object.entries(call.module.outputs)) if (isJsonObject(definition)) index.outputs.set(`${child}${output}`, definition.expression);
    }
    walkConfiguration(call.module, child, index, depth + 1);
  }
}

/**
 * The resource references of a configuration expression, most specific
 * first. A module's expressions name its own resources (`azurerm_x.y`):
 * they are read under the module instance's address (`module.m.azurerm_x.y`).
 */
function referencesOf(expression: unknown, modulePrefix = '', outputs: ReadonlyMap<string, unknown> = new Map(), depth = 0): { resource: string; index?: string; attribute?: string; text: string }[] {
  if (!isJsonObject(expression) || !Array.isArray(expression.references)) return [];
  const seen = new Set<string>();
  const out: { resource: string; index?: string; attribute?: string; text: string }[] = [];
  for (const text of expression.references) {
    if (typeof text !== 'string') continue;
    const output = /^module\.([\w-]+)(?:\[[^\]]*\])?\.([\w-]+)$/.exec(text);
    if (output && depth < 16) {
      // A module's output: what it refers to, inside the module.
      const child = `${modulePrefix}module.${output[1]}.`;
      for (const reference of referencesOf(outputs.get(`${child}${output[2]}`), child, outputs, depth + 1)) {
        if (!seen.has(reference.resource)) {
          seen.add(reference.resource);
          out.push({ ...reference, text });
        }
      }
      continue;
    }
    if (text.startsWith('var.') || text.startsWith('local.') || text.startsWith('data.') || text.startsWith('module.') || text.startsWith('each.') || text.startsWith('count.')) continue;
    // type.name, type.name["key"] or type.name[0], then the attribute. Terraform lists the most specific form first.
    const parts = /^([\w-]+)\.([\w-]+)(\[[^\]]*\])?(?:\.(.+))?$/.exec(text);
    if (!parts) continue;
    const resource = `${modulePrefix}${parts[1]}.${parts[2]}`;
    if (seen.has(resource)) continue;
    seen.add(resource);
    // An index of an expression (`[each.key]`, `[count.index]`, `[var.x]`) is no instance key the reference names.
    const index = parts[3] !== undefined && /^\[("[^"]*"|\d+)\]$/.test(parts[3]) ? parts[3] : undefined;
    out.push({ resource, ...(index !== undefined ? { index } : {}), attribute: parts[4], text });
  }
  return out;
}

function providerConfigOf(config: unknown): { [key: string]: Value } | undefined {
  if (!isJsonObject(config) || !isJsonObject(config.expressions)) return undefined;
  const out: { [key: string]: Value } = {};
  for (const [key, expression] of Object.entries(config.expressions)) {
    out[key] =
      isJsonObject(expression) && 'constant_value' in expression
        ? (expression.constant_value as Value)
        : new Unresolved(`provider ${key}`, 'provider argument set from a variable or expression');
  }
  return out;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

import { cloudOfTerraformType, Resource, StackInfo } from '../core/graph';
import { InputError } from '../core/errors';
import { Reference, Unresolved, Value, isJsonObject } from '../core/values';

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
 * attributes known only after apply turned into references (when the
 * configuration says what they refer to) or `Unresolved`.
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
    if (isJsonObject(change) && typeof change.address === 'string' && isJsonObject(change.change) && isJsonObject(change.change.after_unknown)) {
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

  return planned.map((item): Resource => {
    const base = item.address.replace(/\[[^\]]*\]$/, '');
    // module.a["x"].type.name[0] → module.a.type.name in the configuration; module.a["x"]. resolves the module's own references.
    const configAddress = base.replace(/\[[^\]]*\]/g, '');
    const instancePrefix = base.slice(0, base.length - `${item.type}.${item.name}`.length);
    const properties: { [key: string]: Value } = {};
    for (const [key, value] of Object.entries(item.values ?? {})) properties[key] = value as Value;
    const unknown = unknownByAddress.get(item.address) ?? {};
    const expressions = expressionsByAddress.get(configAddress) ?? {};
    // The instance key of this resource (`["chat"]`, `[0]`): what `each.key` and `count.index` stand for in its expressions.
    const ownIndex = /\[[^\]]*\]$/.exec(item.address)?.[0];
    for (const [key, flag] of Object.entries(unknown)) {
      if (flag !== true) continue;
      const expression = expressions[key];
      const raw = isJsonObject(expression) && Array.isArray(expression.references) ? expression.references.filter((text): text is string => typeof text === 'string') : [];
      // `this[each.key]` or `this[count.index]`: the plan keeps only the names an index uses, not the index itself, so
      // the referring resource's own key is taken only when nothing else could be the index (no each.value, no other
      // variable) — and then only where the referenced resource has that very key.
      const perInstance = raw.some((text) => text === 'each.key' || text === 'count.index') && !raw.some((text) => text.startsWith('each.value') || text.startsWith('var.') || text.startsWith('local.'));
      let references = referencesOf(expression, instancePrefix, moduleOutputs);
      let viaForEach = false;
      // `each.value.id` under `for_each = azurerm_x.y`: the instance of azurerm_x.y with this resource's key.
      if (references.length === 0 && raw.some((text) => text.startsWith('each.value'))) {
        viaForEach = true;
        const attribute = raw.find((text) => text.startsWith('each.value.'))?.slice('each.value.'.length);
        references = referencesOf(forEachByAddress.get(configAddress), instancePrefix, moduleOutputs).map((reference) => ({ resource: reference.resource, attribute, text: `each.value${attribute ? `.${attribute}` : ''} of ${reference.text}` }));
      }
      const instances = references.map((reference) => instanceOf(reference, instancesByBase, perInstance || viaForEach ? ownIndex : undefined));
      const keys = instances.flat().map((address) => `${stack.name}/${address}`);
      const text = references.length > 0 ? references.map((reference) => reference.text).join(', ') : `(known after apply)`;
      properties[key] =
        keys.length === 1 && references.length === 1
          ? new Reference(keys[0], references[0].attribute, `\${${references[0].text}}`)
          : new Unresolved(text, references.length === 1 && keys.length > 1 ? `known only after apply, and it may name any of ${keys.length} instances` : 'known only after apply', keys);
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

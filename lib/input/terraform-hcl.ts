/**
 * A directory of Terraform as teams write it — `.tf` and `.tf.json` files,
 * variables with defaults, `terraform.tfvars`, `*.auto.tfvars`, `-var-file`
 * and `-var`, `count` and `for_each`, `dynamic` blocks and local modules —
 * read into the same resource graph the synthesized inputs give.
 *
 * HCL is parsed by `@cdktf/hcl2json` (HashiCorp's parser, compiled to
 * WebAssembly by the CDK for Terraform project), loaded only when a directory
 * is read. What decides whether and where a resource exists is evaluated with
 * what is known before `terraform plan` (lib/input/hcl-expressions.ts):
 * a resolvable `count = 0` or empty `for_each` removes the resource, a
 * resolvable count or key set gives that many instances (`type.name[0]`,
 * `type.name["key"]`), and an unknown one keeps the resource with its
 * existence unknown (a finding, never "present"). Local modules are expanded
 * with their inputs (`module.name.type.name`); a module whose source is not
 * on disk stays a module block, which the engine reports as not inspected.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../core/errors';
import { ResourceGraph, SourceLocation, StackInfo, VariableUse } from '../core/graph';
import { Unresolved, hasOwn, isJsonObject, ownEntry, setOwn } from '../core/values';
import { HclValue, NotEvaluable, evaluateExpression, literalText } from './hcl-expressions';
import { checkDocument, readJson } from './json-file';
import { TF_PROVIDERS_COMMENT } from './provider-declarations';
import { ExpandedResource, resourcesFromTerraform, splitTemplate } from './terraform';

/** Variable values from the command line, in the order given (later ones win, as in Terraform). */
export interface TerraformVariableOptions {
  /** `-var-file` paths, relative to the working directory. */
  readonly varFiles?: readonly string[];
  /** `-var name=value` assignments. */
  readonly vars?: readonly string[];
  /** Environment to read `TF_VAR_<name>` from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Directory relative paths are resolved from. @default process.cwd() */
  readonly cwd?: string;
}

/** How deep local modules may call local modules. */
const MAX_MODULE_DEPTH = 16;

/** Whether a directory is a Terraform configuration (it holds `.tf` or `.tf.json` files). */
export function isTerraformDirectory(directory: string): boolean {
  try {
    return fs.readdirSync(directory).some((file) => /\.tf(\.json)?$/.test(file));
  } catch {
    return false;
  }
}

/** Reads a Terraform root module directory into a graph (one stack named after the directory). */
export async function loadTerraformDirectory(directory: string, options: TerraformVariableOptions = {}): Promise<ResourceGraph> {
  const root = path.resolve(directory);
  const stack: StackInfo = { name: path.basename(root), format: 'terraform', file: root };
  const parse = await hclParser();
  const collected: Collected = { resources: [], locals: {}, data: {}, providers: {}, unsetVariables: new Map(), declarations: [], moduleProviders: 0 };
  const rootModule = await readModule(root, parse);
  const variables = rootVariables(rootModule, await variableFiles(root, options, parse), options);
  await expandModule(rootModule, { prefix: '', variables, depth: 0, parse, collected, seen: new Set([root]) });
  const document = { locals: collected.locals, data: collected.data, provider: collected.providers, ...(collected.declarations.length > 0 ? { '//': { [TF_PROVIDERS_COMMENT]: { providers: collected.declarations } } } : {}) };
  return new ResourceGraph([stack], resourcesFromTerraform(document, stack, { resources: withReferencedVariables(collected.resources), unsetVariables: collected.unsetVariables }));
}

/**
 * A resource whose location is `azurerm_resource_group.this.location` took it
 * from the variable the group was given: each resource carries the variables
 * of the resources it references too, so a finding names where its value came from.
 */
function withReferencedVariables(resources: readonly ExpandedResource[]): ExpandedResource[] {
  const byId = new Map(resources.map((resource) => [resource.id, resource]));
  const references = (resource: ExpandedResource): ExpandedResource[] => {
    const text = JSON.stringify(resource.body);
    const found: ExpandedResource[] = [];
    for (const match of text.matchAll(/((?:module\.[\w-]+(?:\[[^\]]*\])?\.)*[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?)/g)) {
      const target = byId.get(match[1].replace(/\\"/g, '"')) ?? byId.get(match[1].replace(/\[[^\]]*\]$/, ''));
      if (target && target !== resource) found.push(target);
    }
    return found;
  };
  const memo = new Map<string, VariableUse[]>();
  const usesOf = (resource: ExpandedResource, path: ReadonlySet<string>): VariableUse[] => {
    const known = memo.get(resource.id);
    if (known) return known;
    const uses = [...(resource.variables ?? [])];
    for (const target of references(resource)) if (!path.has(target.id)) uses.push(...usesOf(target, new Set([...path, target.id])));
    const unique = [...new Map(uses.map((use) => [use.name, use])).values()];
    memo.set(resource.id, unique);
    return unique;
  };
  return resources.map((resource) => ({ ...resource, variables: usesOf(resource, new Set([resource.id])) }));
}

type Parse = (file: string, text: string) => Promise<Record<string, unknown>>;

async function hclParser(): Promise<Parse> {
  // Loaded on demand: the parser brings a WebAssembly module that only directories of .tf files need.
  const { parse } = (await import('@cdktf/hcl2json')) as { parse: Parse };
  return parse;
}

interface Block {
  readonly body: { [key: string]: unknown };
  readonly source: SourceLocation;
}

/** One module directory as written: its blocks, by kind, from all its files merged as Terraform merges them. */
interface ModuleFiles {
  readonly directory: string;
  readonly resources: Map<string, Block & { readonly type: string; readonly name: string }>;
  readonly data: Map<string, Block & { readonly type: string; readonly name: string }>;
  readonly variables: Map<string, Block>;
  readonly locals: Map<string, { readonly value: unknown; readonly source: SourceLocation }>;
  readonly modules: Map<string, Block>;
  readonly outputs: Map<string, Block>;
  readonly providers: { [name: string]: unknown[] };
  /** Provider declarations from the `"//"` comment of its .tf.json files. */
  readonly declarations: unknown[];
}

async function readModule(directory: string, parse: Parse): Promise<ModuleFiles> {
  const listed = fs
    .readdirSync(directory)
    .filter((file) => /\.(tf|tofu)(\.json)?$/.test(file) && !ignoredByTerraform(file))
    .sort();
  // OpenTofu reads .tofu files too, and a `main.tofu` takes the place of `main.tf` beside it.
  const tofu = new Set(listed.filter((file) => /\.tofu(\.json)?$/.test(file)));
  const files = listed.filter((file) => !tofu.has(file.replace(/\.tf(\.json)?$/, '.tofu$1')) || /\.tofu(\.json)?$/.test(file));
  if (files.length === 0) throw new InputError(`${directory}: no .tf, .tf.json or .tofu files`, 'pass the directory of a Terraform or OpenTofu module');
  const module: ModuleFiles = { directory, resources: new Map(), data: new Map(), variables: new Map(), locals: new Map(), modules: new Map(), outputs: new Map(), providers: {}, declarations: [] };
  // Override files (override.tf, *_override.tf) merge into the blocks the other files declare, after them.
  const ordered = [...files.filter((file) => !isOverride(file)), ...files.filter(isOverride)];
  for (const file of ordered) {
    const full = path.join(directory, file);
    const text = readText(full);
    let document: unknown;
    if (file.endsWith('.json')) document = readJson(full);
    else {
      try {
        document = await parse(file, text);
      } catch (error) {
        throw new InputError(`${full}: not valid HCL (${firstLine(error)})`, 'run `terraform validate` in the directory and fix what it reports');
      }
      checkDocument(document, full);
    }
    if (!isJsonObject(document)) throw new InputError(`${full}: not a Terraform configuration`, 'pass a directory of .tf files');
    addFile(module, full, text, document, isOverride(file));
  }
  return module;
}

/** Files Terraform itself skips in a module directory: hidden files, editor backups (`main.tf~`) and autosaves (`#main.tf#`). */
function ignoredByTerraform(file: string): boolean {
  return file.startsWith('.') || file.endsWith('~') || (file.startsWith('#') && file.endsWith('#'));
}

function isOverride(file: string): boolean {
  return /(^|_)override\.(tf|tofu)(\.json)?$/.test(file);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`${file}: cannot be read`, 'check the path and its permissions');
  }
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error)
    .replace(/^Error: /, '')
    .split('\n')[0]
    .slice(0, 300);
}

/** The first element of a block list (HCL gives `[body]`, Terraform JSON `body` or `[body]`). */
function only(value: unknown): { [key: string]: unknown } {
  const first = Array.isArray(value) ? value[0] : value;
  return isJsonObject(first) ? first : {};
}

function addFile(module: ModuleFiles, file: string, text: string, document: { [key: string]: unknown }, override: boolean): void {
  const lineOf = (pattern: RegExp): number => {
    const index = text.search(pattern);
    return index < 0 ? 1 : text.slice(0, index).split('\n').length;
  };
  const quoted = (name: string): string => `"?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?`;
  for (const [kind, target] of [
    ['resource', module.resources],
    ['data', module.data],
  ] as const) {
    for (const section of asList(document[kind])) {
      if (!isJsonObject(section)) continue;
      for (const [type, byName] of Object.entries(section)) {
        for (const entry of asList(byName)) {
          if (!isJsonObject(entry)) continue;
          for (const [name, body] of Object.entries(entry)) {
            const address = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
            const existing = target.get(address);
            if (existing && !override) throw new InputError(`${file}: ${address} is declared twice (also in ${existing.source.file})`, 'give each resource a unique name, as Terraform requires');
            const source = { file, line: lineOf(new RegExp(`^\\s*"?${kind}"?\\s*[:{]?\\s*${quoted(type)}\\s*[:{]?\\s*${quoted(name)}`, 'm')) };
            target.set(address, existing && override ? { ...existing, body: { ...existing.body, ...only(body) } } : { type, name, body: only(body), source });
          }
        }
      }
    }
  }
  for (const section of asList(document.variable)) {
    if (!isJsonObject(section)) continue;
    for (const [name, body] of Object.entries(section)) {
      const existing = module.variables.get(name);
      module.variables.set(name, { body: { ...(existing?.body ?? {}), ...only(body) }, source: existing?.source ?? { file, line: lineOf(new RegExp(`^\\s*"?variable"?\\s*[:{]?\\s*${quoted(name)}`, 'm')) } });
    }
  }
  for (const section of asList(document.locals)) {
    if (!isJsonObject(section)) continue;
    for (const [name, value] of Object.entries(section)) module.locals.set(name, { value, source: { file, line: lineOf(new RegExp(`^\\s*${quoted(name)}\\s*[=:]`, 'm')) } });
  }
  for (const section of asList(document.module)) {
    if (!isJsonObject(section)) continue;
    for (const [name, body] of Object.entries(section)) {
      const existing = module.modules.get(name);
      module.modules.set(name, { body: { ...(existing?.body ?? {}), ...only(body) }, source: existing?.source ?? { file, line: lineOf(new RegExp(`^\\s*"?module"?\\s*[:{]?\\s*${quoted(name)}`, 'm')) } });
    }
  }
  for (const section of asList(document.output)) {
    if (!isJsonObject(section)) continue;
    for (const [name, body] of Object.entries(section)) module.outputs.set(name, { body: only(body), source: { file, line: 1 } });
  }
  // Provider declarations written into a .tf.json file's comment (as the CDKTF construct writes them).
  const comment = isJsonObject(document['//']) ? document['//'][TF_PROVIDERS_COMMENT] : undefined;
  if (isJsonObject(comment) && comment.providers !== undefined) module.declarations.push(...asList(comment.providers));
  for (const section of asList(document.provider)) {
    if (!isJsonObject(section)) continue;
    for (const [name, configs] of Object.entries(section)) {
      const list = ownEntry(module.providers, name, () => []);
      for (const config of asList(configs)) {
        // In an override file, a provider block merges into the one of the same name and alias that the others declare.
        const alias = isJsonObject(config) ? config.alias : undefined;
        const index = override && isJsonObject(config) ? list.findIndex((existing) => isJsonObject(existing) && existing.alias === alias) : -1;
        if (index >= 0) list[index] = { ...(list[index] as { [key: string]: unknown }), ...(config as { [key: string]: unknown }) };
        else list.push(config);
      }
    }
  }
}

function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** A variable's value and where it came from; `value` undefined when nothing sets it. */
interface VariableValue {
  readonly value?: HclValue | string;
  /** Expression text when the value is an expression of the calling module (a module input that references resources). */
  readonly expression?: boolean;
  readonly from: string;
  /** Root variables this value was computed from (module inputs), for the finding's "values from variables". */
  readonly uses: readonly VariableUse[];
}

interface VariableFile {
  readonly file: string;
  readonly label: string;
  readonly values: { [name: string]: unknown };
}

/** terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json) in lexical order, then each -var-file: Terraform's order. */
async function variableFiles(root: string, options: TerraformVariableOptions, parse: Parse): Promise<VariableFile[]> {
  const automatic = fs
    .readdirSync(root)
    .filter((file) => /\.auto\.tfvars(\.json)?$/.test(file))
    .sort();
  const candidates = [
    ...['terraform.tfvars', 'terraform.tfvars.json'].filter((file) => fs.existsSync(path.join(root, file))).map((file) => ({ file: path.join(root, file), label: file })),
    ...automatic.map((file) => ({ file: path.join(root, file), label: file })),
    ...(options.varFiles ?? []).map((file) => ({ file: path.resolve(options.cwd ?? process.cwd(), file), label: `-var-file=${file}` })),
  ];
  const out: VariableFile[] = [];
  for (const candidate of candidates) {
    if (!fs.existsSync(candidate.file)) throw new InputError(`${candidate.file}: no such variable file`, 'pass the path of a .tfvars file');
    let values: unknown;
    if (candidate.file.endsWith('.json')) values = readJson(candidate.file);
    else {
      try {
        values = await parse(path.basename(candidate.file), readText(candidate.file));
      } catch (error) {
        throw new InputError(`${candidate.file}: not a valid variable file (${firstLine(error)})`, 'write name = value lines, as terraform.tfvars takes');
      }
      checkDocument(values, candidate.file);
    }
    if (!isJsonObject(values)) throw new InputError(`${candidate.file}: not a variable file`, 'write name = value lines');
    out.push({ ...candidate, values });
  }
  return out;
}

function rootVariables(module: ModuleFiles, files: readonly VariableFile[], options: TerraformVariableOptions): Map<string, VariableValue> {
  const out = new Map<string, VariableValue>();
  const where = (source: SourceLocation): string => `${path.relative(module.directory, source.file) || path.basename(source.file)}:${source.line}`;
  for (const [name, variable] of module.variables) {
    out.set(name, 'default' in variable.body ? { value: variable.body.default as HclValue, from: `default at ${where(variable.source)}`, uses: [] } : { from: `no default at ${where(variable.source)}`, uses: [] });
  }
  const env = options.env ?? process.env;
  const typed = (name: string, text: string): HclValue => convertToDeclaredType(parseCommandLineValue(text), module.variables.get(name)?.body.type);
  for (const name of module.variables.keys()) {
    const value = env[`TF_VAR_${name}`];
    if (value !== undefined) out.set(name, { value: typed(name, value), from: `environment TF_VAR_${name}`, uses: [] });
  }
  for (const file of files) {
    for (const [name, value] of Object.entries(file.values)) {
      if (module.variables.has(name)) out.set(name, { value: value as HclValue, from: file.label, uses: [] });
    }
  }
  for (const assignment of options.vars ?? []) {
    const match = /^([A-Za-z_][\w-]*)=(.*)$/s.exec(assignment);
    if (!match) throw new InputError(`--var ${JSON.stringify(assignment)}: expected name=value`, 'e.g. --var location=westeurope');
    if (!module.variables.has(match[1])) throw new InputError(`--var ${match[1]}: the configuration in ${module.directory} declares no variable "${match[1]}"`, `declared: ${[...module.variables.keys()].join(', ') || 'none'}`);
    out.set(match[1], { value: typed(match[1], match[2]), from: '--var', uses: [] });
  }
  for (const [name, variable] of out) if (variable.value !== undefined) out.set(name, { ...variable, uses: [{ name: `var.${name}`, value: displayValue(variable.value), from: variable.from }] });
  return out;
}

/** `-var` and `TF_VAR_` values: lists and maps in HCL or JSON syntax, anything else a string. */
function parseCommandLineValue(text: string): HclValue {
  if (/^\s*[[{]/.test(text)) {
    try {
      return evaluateExpression(text, () => undefined);
    } catch {
      return text;
    }
  }
  return text;
}

/** A command-line string converted as Terraform converts it to the variable's declared type (`bool`, `number`). */
function convertToDeclaredType(value: HclValue, type: unknown): HclValue {
  const declared = typeof type === 'string' ? type.replace(/^\$\{(.*)\}$/, '$1').trim() : undefined;
  if (typeof value !== 'string') return value;
  if (declared === 'bool' && (value === 'true' || value === 'false')) return value === 'true';
  if (declared === 'number' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

function displayValue(value: HclValue | string): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
}

interface Collected {
  readonly resources: ExpandedResource[];
  readonly locals: { [name: string]: unknown };
  readonly data: { [type: string]: { [name: string]: unknown } };
  readonly providers: { [name: string]: unknown[] };
  /** Variables nothing sets, by the name they have in the flattened configuration: their address and where the guardrail looked. */
  readonly unsetVariables: Map<string, { readonly name: string; readonly from: string }>;
  /** Provider declarations of every module's .tf.json comments. */
  readonly declarations: unknown[];
  /** How many provider configurations modules have declared themselves (each gets an alias of its own). */
  moduleProviders: number;
}

interface ModuleContext {
  /** `''` for the root module, `module.oai.` inside it, `module.oai.module.keys.` deeper. */
  readonly prefix: string;
  readonly variables: ReadonlyMap<string, VariableValue>;
  readonly depth: number;
  readonly parse: Parse;
  readonly collected: Collected;
  /** Module directories on the call path: a module that calls itself is refused. */
  readonly seen: ReadonlySet<string>;
  /** `providers = { azurerm = azurerm.eu }` of the module call: the configuration its resources use. */
  readonly providerMap?: { readonly [name: string]: string };
  /** Existence of the whole module (its call's count or for_each), when unknown. */
  readonly existence?: Unresolved;
}

/** What a module's outputs evaluate to, as expression text in the flattened configuration. */
type Outputs = Map<string, string>;

async function expandModule(module: ModuleFiles, context: ModuleContext): Promise<Outputs> {
  const rewriter = new Rewriter(module, context);
  context.collected.declarations.push(...module.declarations);
  // Locals first: resources read them, and a literal local decides counts and locations.
  for (const [name, local] of module.locals) setOwn(context.collected.locals, rewriter.localName(name), rewriter.value(local.value, {}));
  // The provider configurations this module's resources and module calls use: the root's own, and in a module those its call maps
  // to it or it inherits, unless the module configures a provider itself (a legacy provider block in a module).
  let providerMap = context.providerMap;
  for (const [name, configs] of Object.entries(module.providers)) {
    for (const config of configs.map((each) => rewriter.value(each, {}))) {
      if (context.prefix === '') {
        ownEntry(context.collected.providers, name, () => []).push(config);
        continue;
      }
      // Registered under an alias of its own, so that the module's configuration never stands in for the root's.
      const local = isJsonObject(config) && typeof config.alias === 'string' ? `${name}.${config.alias}` : name;
      const alias = `module${++context.collected.moduleProviders}`;
      ownEntry(context.collected.providers, name, () => []).push({ ...(isJsonObject(config) ? config : {}), alias });
      providerMap = { ...providerMap, [local]: `${name}.${alias}` };
    }
  }
  const scope: ModuleContext = providerMap === context.providerMap ? context : { ...context, providerMap };
  // Module calls next: their outputs are what the caller's resources reference.
  for (const [name, call] of module.modules) rewriter.outputs.set(name, await expandCall(name, call, module, rewriter, scope));
  for (const data of module.data.values()) {
    setOwn(ownEntry(context.collected.data, data.type, () => ({})), rewriter.dataName(data.name), rewriter.value(data.body, {}));
  }
  for (const resource of module.resources.values()) {
    for (const instance of instancesOf(resource.body, rewriter, `${context.prefix}${resource.type}.${resource.name}`)) {
      const body = rewriter.value(withoutMeta(resource.body), instance.scope) as { [key: string]: unknown };
      expandDynamicBlocks(body, rewriter, instance.scope);
      const provider = providerFor(resource.type, resource.body.provider, scope.providerMap);
      if (provider !== undefined) body.provider = provider;
      context.collected.resources.push({
        id: instance.address,
        type: resource.type,
        body,
        source: resource.source,
        variables: rewriter.takeUses(),
        ...(instance.existence ?? context.existence ? { existence: instance.existence ?? context.existence } : {}),
      });
    }
  }
  const outputs: Outputs = new Map();
  for (const [name, output] of module.outputs) {
    const value = rewriter.value(output.body.value, {});
    if (typeof value === 'string') outputs.set(name, value.startsWith('${') && splitTemplate(value).length === 1 ? value.slice(2, -1) : literalText(value));
    else if (value !== undefined) outputs.set(name, literalText(value as HclValue));
  }
  return outputs;
}

async function expandCall(name: string, call: Block, caller: ModuleFiles, rewriter: Rewriter, context: ModuleContext): Promise<string | undefined> {
  const source = typeof call.body.source === 'string' ? call.body.source : undefined;
  const address = `${context.prefix}module.${name}`;
  if (source === undefined || !/^\.\.?(\/|$)/.test(source)) {
    // Not on disk (registry, git, a URL): kept as a module block, reported as not inspected.
    context.collected.resources.push({ id: address, type: 'module', body: { source: source ?? '(none)' }, source: call.source, variables: [] });
    return undefined;
  }
  const directory = path.resolve(caller.directory, source);
  if (context.seen.has(directory)) throw new InputError(`${call.source.file}:${call.source.line}: module "${name}" calls ${source}, which is already on the call path`, 'a module cannot call itself');
  if (context.depth + 1 > MAX_MODULE_DEPTH) throw new InputError(`${call.source.file}:${call.source.line}: local modules nest deeper than ${MAX_MODULE_DEPTH} levels`, 'flatten the module hierarchy');
  if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) throw new InputError(`${call.source.file}:${call.source.line}: module "${name}" has source ${source}, which is not a directory`, 'fix the source path');
  const child = await readModule(directory, context.parse);
  const instances = instancesOf(call.body, rewriter, address);
  let lastOutputs: Outputs = new Map();
  for (const instance of instances) {
    const variables = new Map<string, VariableValue>();
    for (const [variableName, variable] of child.variables) {
      const given = call.body[variableName];
      if (given !== undefined) {
        const value = rewriter.value(given, instance.scope);
        const uses = rewriter.takeUses();
        const expression = typeof value === 'string' && value.includes('${');
        variables.set(variableName, { value: value as HclValue, expression, from: `argument of ${instance.address} at ${path.basename(call.source.file)}:${call.source.line}`, uses });
      } else if ('default' in variable.body) {
        variables.set(variableName, { value: variable.body.default as HclValue, from: `default at ${path.basename(variable.source.file)}:${variable.source.line}`, uses: [] });
      } else {
        variables.set(variableName, { from: `no argument in ${instance.address} and no default`, uses: [] });
      }
    }
    // The call's map names the caller's configurations, which the caller's own map translates further up.
    const providerMap = isJsonObject(call.body.providers)
      ? (Object.fromEntries(
          Object.entries(call.body.providers).map(([key, value]) => {
            const named = String(value).replace(/^\$\{(.*)\}$/, '$1');
            return [key, context.providerMap !== undefined && hasOwn(context.providerMap, named) ? context.providerMap[named] : named];
          }),
        ) as { [name: string]: string })
      : context.providerMap;
    lastOutputs = await expandModule(child, {
      prefix: `${instance.address}.`,
      variables,
      depth: context.depth + 1,
      parse: context.parse,
      collected: context.collected,
      seen: new Set([...context.seen, directory]),
      providerMap,
      existence: instance.existence ?? context.existence,
    });
  }
  // Outputs are referenced as module.<name>.<output>: meaningful when the call has one instance.
  return instances.length === 1 && !call.body.count && !call.body.for_each ? JSON.stringify(Object.fromEntries(lastOutputs)) : undefined;
}

/** The arguments of a resource, without the meta-arguments the reader has applied (`count`, `for_each`, `provider`). */
function withoutMeta(body: { [key: string]: unknown }): { [key: string]: unknown } {
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'count' && key !== 'for_each' && key !== 'provider'));
}

/**
 * The provider configuration a resource uses, in the root's names: its own
 * `provider` (`google-beta`, `google.secondary`) or the one its type implies
 * (`azurerm`), translated through the module's provider map (`azurerm` →
 * `azurerm.eu`); undefined for the root's default configuration.
 */
function providerFor(type: string, explicit: unknown, providerMap: { readonly [name: string]: string } | undefined): string | undefined {
  const named = typeof explicit === 'string' ? explicit.replace(/^\$\{(.*)\}$/, '$1') : undefined;
  const local = named ?? type.split('_')[0];
  const mapped = providerMap !== undefined && hasOwn(providerMap, local) ? providerMap[local] : undefined;
  return mapped ?? named;
}

interface Instance {
  readonly address: string;
  readonly scope: InstanceScope;
  readonly existence?: Unresolved;
}

interface InstanceScope {
  readonly count?: number;
  readonly each?: { readonly key: string; readonly value: HclValue };
}

/** The instances `count` or `for_each` make, when they can be evaluated; one of unknown existence when not. */
function instancesOf(body: { [key: string]: unknown }, rewriter: Rewriter, address: string): Instance[] {
  if (body.count !== undefined) {
    const count = rewriter.evaluate(body.count, {});
    if (typeof count === 'number' && Number.isInteger(count) && count >= 0) return Array.from({ length: count }, (_, index) => ({ address: `${address}[${index}]`, scope: { count: index } }));
    return [{ address, scope: {}, existence: new Unresolved(`count = ${describe(body.count)}`, 'how many instances exist is known only at plan time') }];
  }
  if (body.for_each !== undefined) {
    const collection = rewriter.evaluate(body.for_each, {});
    if (Array.isArray(collection) && collection.every((item) => typeof item === 'string')) {
      // Terraform orders the instances of a set of strings by key.
      return [...new Set(collection as string[])].sort().map((key) => ({ address: `${address}[${JSON.stringify(key)}]`, scope: { each: { key, value: key } } }));
    }
    if (collection !== null && typeof collection === 'object' && !Array.isArray(collection)) {
      return Object.keys(collection)
        .sort()
        .map((key) => ({ address: `${address}[${JSON.stringify(key)}]`, scope: { each: { key, value: collection[key] } } }));
    }
    return [{ address, scope: {}, existence: new Unresolved(`for_each = ${describe(body.for_each)}`, 'which instances exist is known only at plan time') }];
  }
  return [{ address, scope: {} }];
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * `dynamic "<name>" { for_each = …, content { … } }`: expanded into `<name>`
 * blocks when the for_each can be evaluated, left to the reader (which makes
 * the blocks unknown, never absent) when it cannot.
 */
function expandDynamicBlocks(body: { [key: string]: unknown }, rewriter: Rewriter, scope: InstanceScope): void {
  for (const value of Object.values(body)) {
    for (const item of asList(value)) if (isJsonObject(item)) expandDynamicBlocks(item, rewriter, scope);
  }
  if (!isJsonObject(body.dynamic)) return;
  const remaining: { [name: string]: unknown } = {};
  for (const [name, specs] of Object.entries(body.dynamic)) {
    const spec = only(specs);
    const iterator = typeof spec.iterator === 'string' ? spec.iterator : name;
    const collection = rewriter.evaluate(spec.for_each, scope);
    let items: { key: string; value: HclValue }[] | undefined;
    if (Array.isArray(collection)) items = collection.map((item, index) => ({ key: typeof item === 'string' ? item : String(index), value: item }));
    else if (collection !== null && typeof collection === 'object') items = Object.keys(collection).map((key) => ({ key, value: (collection as { [key: string]: HclValue })[key] }));
    if (!items) {
      remaining[name] = specs;
      continue;
    }
    const blocks = items.map((item) => rewriter.value(only(spec.content), scope, { name: iterator, key: item.key, value: item.value }));
    body[name] = [...asList(body[name]), ...blocks];
  }
  if (Object.keys(remaining).length > 0) body.dynamic = remaining;
  else delete body.dynamic;
}

/**
 * Rewrites a module's values into the flattened configuration: variables
 * replaced by their values (or the caller's expressions), locals, data
 * sources and resources renamed under the module's address, module outputs
 * replaced by what they evaluate to, and every `${…}` that can be evaluated
 * before plan replaced by its value.
 */
class Rewriter {
  readonly outputs = new Map<string, string | undefined>();
  private uses: VariableUse[] = [];
  private readonly resourceTypes: ReadonlySet<string>;

  constructor(
    private readonly module: ModuleFiles,
    private readonly context: ModuleContext,
  ) {
    this.resourceTypes = new Set([...module.resources.values()].map((resource) => resource.type));
  }

  localName(name: string): string {
    return this.context.prefix === '' ? name : `${this.context.prefix.replace(/\W+/g, '_')}${name}`;
  }

  dataName(name: string): string {
    return this.localName(name);
  }

  /** The root variables used since the last call. */
  takeUses(): VariableUse[] {
    const uses = this.uses;
    this.uses = [];
    return [...new Map(uses.map((use) => [use.name, use])).values()];
  }

  /** Evaluates a value written in this module (an expression string or a literal); undefined when it needs plan-time values. */
  evaluate(value: unknown, scope: InstanceScope): HclValue | undefined {
    const rewritten = this.value(value, scope);
    if (typeof rewritten === 'string' && rewritten.includes('${')) return undefined;
    return rewritten as HclValue;
  }

  value(value: unknown, scope: InstanceScope, iterator?: { name: string; key: string; value: HclValue }): unknown {
    if (typeof value === 'string') return value.includes('${') ? this.template(value, scope, iterator) : value;
    if (Array.isArray(value)) return value.map((item) => this.value(item, scope, iterator));
    if (isJsonObject(value)) {
      const out: { [key: string]: unknown } = {};
      for (const [key, item] of Object.entries(value)) out[key] = key === 'dynamic' ? item : this.value(item, scope, iterator);
      return out;
    }
    return value;
  }

  private template(text: string, scope: InstanceScope, iterator?: { name: string; key: string; value: HclValue }): unknown {
    const pieces = splitTemplate(text);
    const parts = pieces.map((piece) => {
      if (typeof piece === 'string') return { text: piece.replace(/\$\{/g, () => '$${') };
      const expression = this.rewrite(piece.expression, iterator);
      try {
        return { value: evaluateExpression(expression, (root, steps) => this.lookup(root, steps, scope, iterator)) };
      } catch (error) {
        if (!(error instanceof NotEvaluable)) throw error;
        return { text: `\${${expression}}` };
      }
    });
    if (parts.length === 1 && 'value' in parts[0]) return parts[0].value;
    return parts
      .map((part) => {
        if (!('value' in part) || part.value === undefined) return part.text ?? '';
        const value: HclValue = part.value;
        return typeof value === 'string' ? value.replace(/\$\{/g, () => '$${') : typeof value === 'number' || typeof value === 'boolean' ? String(value) : `\${${literalText(value)}}`;
      })
      .join('');
  }

  private lookup(root: string, steps: readonly string[], scope: InstanceScope, iterator?: { name: string; key: string; value: HclValue }): HclValue | undefined {
    if (root === 'count' && steps[0] === 'index' && steps.length === 1) return scope.count;
    if (root === 'each' && scope.each) return steps[0] === 'key' && steps.length === 1 ? scope.each.key : steps[0] === 'value' ? follow(scope.each.value, steps.slice(1)) : undefined;
    if (iterator && root === iterator.name) return steps[0] === 'key' && steps.length === 1 ? iterator.key : steps[0] === 'value' ? follow(iterator.value, steps.slice(1)) : undefined;
    if (root === 'local') {
      const local = this.context.collected.locals[this.localName(steps[0])];
      if (local === undefined || (typeof local === 'string' && local.includes('${'))) return undefined;
      return follow(local as HclValue, steps.slice(1));
    }
    return undefined;
  }

  /** Renames and substitutes the traversals of one expression; string literals inside it are left alone. */
  private rewrite(expression: string, iterator?: { name: string }): string {
    return mapCode(expression, (code) =>
      code.replace(/(?<![\w.\]-])([A-Za-z_][\w-]*)((?:\.[A-Za-z_*][\w-]*|\.\d+|\[\d+\]|\["[^"]*"\])+)/g, (match: string, root: string, rest: string) => {
        if (iterator && root === iterator.name) return match;
        const steps = [...rest.matchAll(/\.([A-Za-z_*][\w-]*|\d+)|\[(\d+)\]|\["([^"]*)"\]/g)].map((step) => step[1] ?? step[2] ?? step[3]);
        switch (root) {
          case 'var':
            return this.variable(steps[0], rest.slice(rest.indexOf(steps[0]) + steps[0].length));
          case 'local':
            return `local.${this.localName(steps[0])}${rest.slice(rest.indexOf(steps[0]) + steps[0].length)}`;
          case 'data':
            return this.context.prefix === '' ? match : `data.${steps[0]}.${this.dataName(steps[1])}${rest.slice(rest.indexOf(steps[1], steps[0].length + 1) + steps[1].length)}`;
          case 'module': {
            const outputs = this.outputs.get(steps[0]);
            const output = outputs !== undefined && steps[1] !== undefined ? (JSON.parse(outputs) as { [name: string]: string })[steps[1]] : undefined;
            // An output the guardrail could not follow stays a module reference: known only at plan time.
            if (output === undefined) return `${this.context.prefix}${match}`;
            const tail = rest.slice(rest.indexOf(steps[1]) + steps[1].length);
            return isTraversal(output) ? `${output}${tail}` : `(${output})${tail}`;
          }
          case 'count':
          case 'each':
          case 'path':
          case 'self':
          case 'terraform':
            return match;
          default:
            return this.context.prefix !== '' && this.resourceTypes.has(root) ? `${this.context.prefix}${match}` : match;
        }
      }),
    );
  }

  private variable(name: string, rest: string): string {
    const variable = this.context.variables.get(name);
    if (!variable || variable.value === undefined) {
      // Renamed under the module, so that the reader's "cannot verify" names the variable and where it looked.
      const flattened = this.localName(name);
      this.context.collected.unsetVariables.set(flattened, { name: `${this.context.prefix}var.${name}`, from: variable?.from ?? `not declared in ${this.module.directory}` });
      return `var.${flattened}${rest}`;
    }
    this.uses.push(...variable.uses);
    if (variable.expression && typeof variable.value === 'string') {
      const pieces = splitTemplate(variable.value);
      const inner = pieces.length === 1 && typeof pieces[0] !== 'string' ? pieces[0].expression : literalText(variable.value);
      return isTraversal(inner) ? `${inner}${rest}` : `(${inner})${rest}`;
    }
    return `${literalText(variable.value as HclValue)}${rest}`;
  }
}

/** `a.b[0].c["d"]`: a reference the reader resolves, which needs no parentheses. */
function isTraversal(expression: string): boolean {
  return /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\.\d+|\[\d+\]|\["[^"]*"\])*$/.test(expression.trim());
}

/** Applies `change` to the code of an expression, outside its string literals. */
function mapCode(expression: string, change: (code: string) => string): string {
  let out = '';
  let code = '';
  for (let index = 0; index < expression.length; index++) {
    const char = expression[index];
    if (char !== '"') {
      code += char;
      continue;
    }
    out += change(code);
    code = '';
    let end = index + 1;
    while (end < expression.length && expression[end] !== '"') end += expression[end] === '\\' ? 2 : 1;
    out += expression.slice(index, end + 1);
    index = end;
  }
  return out + change(code);
}

function follow(value: HclValue | undefined, steps: readonly string[]): HclValue | undefined {
  let current = value;
  for (const step of steps) {
    if (Array.isArray(current) && /^\d+$/.test(step)) current = current[Number(step)];
    else if (current !== null && typeof current === 'object' && !Array.isArray(current)) current = current[step];
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

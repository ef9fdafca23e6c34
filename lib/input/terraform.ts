import { cloudOfTerraformType, Resource, SourceLocation, StackInfo, VariableUse } from '../core/graph';
import { InputError } from '../core/errors';
import { Reference, Unresolved, Value, hasOwn, isJsonObject, isPlainObject, referencedKeys, setOwn } from '../core/values';
import { firstAppFrame } from './source-locations';
import { TF_PROVIDERS_COMMENT, declarationResources } from './provider-declarations';

/**
 * Terraform meta-arguments: not resource arguments, never judged as such. Provisioner blocks are kept: what a
 * `local-exec` command creates (a model deployment by `az`, `aws` or `gcloud`) is what the coverage must see.
 */
const META_ARGUMENTS = new Set(['//', 'count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'connection']);

interface RawResource {
  readonly key: string;
  readonly id: string;
  readonly type: string;
  readonly body: { [key: string]: unknown };
  readonly expanded?: ExpandedResource;
}

/**
 * A resource a Terraform directory reader has already placed (lib/input/terraform-hcl.ts):
 * its address (`type.name`, `type.name[0]`, `module.m.type.name["k"]`), its
 * arguments with variables substituted, the .tf line that declares it, the
 * variables it used, and why its existence is unknown when it is.
 */
export interface ExpandedResource {
  readonly id: string;
  readonly type: string;
  readonly body: { [key: string]: unknown };
  readonly source?: SourceLocation;
  readonly variables?: readonly VariableUse[];
  readonly existence?: Unresolved;
}

export interface TerraformReadOptions {
  /** Resources already expanded from a directory; the document then supplies locals, data sources and providers only. */
  readonly resources?: readonly ExpandedResource[];
  /** Variables nothing sets, by their name in the configuration: their address and where the reader looked. */
  readonly unsetVariables?: ReadonlyMap<string, { readonly name: string; readonly from: string }>;
}

/**
 * Resolves the interpolations of one Terraform JSON configuration
 * (`cdk.tf.json` or hand-written `*.tf.json`) into graph resources.
 *
 * `${type.name.attr}` becomes the attribute's value when it is an argument of
 * the target (so `${azurerm_resource_group.rg.location}` resolves to the
 * group's location), else a `Reference`. Variables, data sources and function
 * calls become `Unresolved`: their values are known only at plan time.
 */
export function resourcesFromTerraform(document: unknown, stack: StackInfo, options: TerraformReadOptions = {}): Resource[] {
  if (!isJsonObject(document)) throw new InputError(`${stack.file}: not a Terraform JSON configuration (expected an object)`, 'pass a cdk.tf.json or *.tf.json file');
  const raw = options.resources ? options.resources.map((expanded) => ({ key: `${stack.name}/${expanded.id}`, id: expanded.id, type: expanded.type, body: expanded.body, expanded })) : collectResources(document, stack);
  const resolver = new TerraformResolver(document, stack, raw, options.unsetVariables ?? new Map());
  const resources = raw.map((item) => resolver.resource(item));
  // Declared external providers (the CDKTF construct writes them into the top-level "//" comment): resources to judge.
  const comment = isJsonObject(document['//']) ? document['//'][TF_PROVIDERS_COMMENT] : undefined;
  if (isJsonObject(comment) && comment.providers !== undefined) resources.push(...declarationResources(comment.providers, stack, `${stack.file}: "//".${TF_PROVIDERS_COMMENT}.providers`));
  return resources;
}

class TerraformResolver {
  private readonly raw = new Map<string, RawResource>();
  private readonly resolved = new Map<string, { [key: string]: Value }>();
  private readonly inProgress = new Set<string>();
  private readonly locals: { [key: string]: unknown };
  private readonly providers: { [key: string]: unknown };
  /** `data` blocks by type: the guardrail evaluates the ones whose result is plain data (IAM policy documents). */
  private readonly dataSources: { [type: string]: unknown };
  private readonly policyDocuments = new Map<string, Value>();
  private readonly resolvedLocals = new Map<string, Value>();

  constructor(
    document: { [key: string]: unknown },
    private readonly stack: StackInfo,
    raw: readonly RawResource[],
    private readonly unsetVariables: ReadonlyMap<string, { readonly name: string; readonly from: string }>,
  ) {
    for (const item of raw) this.raw.set(item.id, item);
    this.locals = mergeSections(document.locals);
    this.dataSources = mergeSections(document.data);
    this.providers = isJsonObject(document.provider) ? document.provider : {};
  }

  resource(item: RawResource): Resource {
    const meta = isJsonObject(item.body['//']) && isJsonObject(item.body['//'].metadata) ? item.body['//'].metadata : undefined;
    const source = item.expanded?.source ?? (meta?.stackTrace !== undefined ? firstAppFrame(meta.stackTrace) : undefined);
    const expanded = item.expanded;
    return {
      key: item.key,
      id: item.id,
      type: item.type,
      cloud: cloudOfTerraformType(item.type),
      stack: this.stack,
      path: typeof meta?.path === 'string' ? meta.path : undefined,
      properties: this.properties(item.id),
      providerConfig: this.providerConfig(item),
      ...(source ? { source } : {}),
      ...(expanded?.existence ? { existence: expanded.existence } : {}),
      ...(expanded?.variables && expanded.variables.length > 0 ? { variables: expanded.variables } : {}),
    };
  }

  private properties(id: string): { [key: string]: Value } {
    const cached = this.resolved.get(id);
    if (cached) return cached;
    const item = this.raw.get(id)!;
    this.inProgress.add(id);
    const out: { [key: string]: Value } = {};
    const body = item.body;
    for (const key in body) {
      if (!META_ARGUMENTS.has(key)) setOwn(out, key, this.value(body[key]));
    }
    withDynamicBlocks(out);
    this.inProgress.delete(id);
    this.resolved.set(id, out);
    return out;
  }

  /** The resolved configuration of each provider (and alias) resources use: the same for all of them. */
  private readonly providerConfigs = new Map<string, { [key: string]: Value } | undefined>();

  private providerConfig(item: RawResource): { [key: string]: Value } | undefined {
    const explicit = typeof item.body.provider === 'string' ? item.body.provider.replace(/^\$\{(.*)\}$/, '$1') : undefined;
    const [name, alias] = explicit ? explicit.split('.') : [item.type.split('_')[0], undefined];
    const key = `${name}\u0000${alias ?? ''}`;
    if (this.providerConfigs.has(key)) return this.providerConfigs.get(key);
    const config = this.readProviderConfig(name, alias);
    this.providerConfigs.set(key, config);
    return config;
  }

  private readProviderConfig(name: string, alias: string | undefined): { [key: string]: Value } | undefined {
    const configs = this.providers[name];
    const list = Array.isArray(configs) ? configs : configs === undefined ? [] : [configs];
    const chosen = list.find((config) => isJsonObject(config) && (alias ? config.alias === alias : config.alias === undefined));
    if (!isJsonObject(chosen)) return undefined;
    const out: { [key: string]: Value } = {};
    for (const [key, value] of Object.entries(chosen)) setOwn(out, key, this.value(value));
    return out;
  }

  /**
   * Resolves the interpolations inside a value and drops cdktf's `//`
   * metadata keys. Parts with neither are returned as parsed, not copied.
   */
  value(value: unknown): Value {
    if (typeof value === 'string') return value.includes('${') ? this.interpolate(value) : value;
    if (Array.isArray(value)) {
      let out: Value[] | undefined;
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        const resolved = this.value(item);
        if (out === undefined && resolved !== item) out = value.slice(0, index) as Value[];
        out?.push(resolved);
      }
      return out ?? (value as Value[]);
    }
    if (isJsonObject(value)) {
      let out: { [key: string]: Value } | undefined;
      for (const key in value) {
        const resolved = key === '//' ? undefined : this.value(value[key]);
        if (out === undefined && (key === '//' || resolved !== value[key])) {
          // The keys before this one, as parsed.
          out = {};
          for (const earlier in value) {
            if (earlier === key) break;
            setOwn(out, earlier, value[earlier] as Value);
          }
        }
        if (out !== undefined && key !== '//') setOwn(out, key, resolved as Value);
      }
      return out ?? (value as { [key: string]: Value });
    }
    return value as Value;
  }

  private interpolate(text: string): Value {
    const pieces = splitTemplate(text);
    if (pieces.length === 1 && typeof pieces[0] !== 'string') return this.expression(pieces[0].expression);
    const parts = pieces.map((piece) => (typeof piece === 'string' ? piece : this.expression(piece.expression)));
    if (parts.every((part) => typeof part === 'string' || typeof part === 'number' || typeof part === 'boolean')) return parts.join('');
    const references = parts.flatMap((part) => (part instanceof Reference ? [part.target] : part instanceof Unresolved ? [...part.references] : []));
    return new Unresolved(text, 'interpolates values known only at plan or apply time', references);
  }

  private expression(expression: string): Value {
    const source = '${' + expression + '}';
    const traversal = parseTraversal(expression.trim());
    if (!traversal) return new Unresolved(source, 'a Terraform expression evaluated at plan time', this.mentionedResources(expression));
    const [head, ...rest] = traversal;
    switch (head) {
      case 'var': {
        const unset = this.unsetVariables.get(rest[0]);
        if (unset) return new Unresolved(source, `${unset.name} has no value (${unset.from}; not set in terraform.tfvars, a *.auto.tfvars file, -var-file, --var or TF_VAR_${unset.name.split('.').pop()})`);
        return new Unresolved(source, `Terraform variable "${rest[0]}" is set at plan time`);
      }
      case 'local':
        return this.local(rest, source);
      case 'data':
        if (rest[0] === 'aws_iam_policy_document' && (rest[2] === 'json' || rest[2] === 'minified_json') && rest.length === 3) return this.policyDocument(rest[1], source);
        return new Unresolved(source, `data source "${rest.slice(0, 2).join('.')}" is read at plan time`);
      case 'module': {
        // A resource inside an expanded module: module.<name>[…].…<type>.<name>[…].<attribute>.
        const inside = this.moduleResource(traversal);
        if (inside) return inside;
        return new Unresolved(source, `output of module "${rest[0]}"`);
      }
      case 'each':
      case 'count':
      case 'path':
      case 'self':
      case 'terraform':
        return new Unresolved(source, `"${head}" is known only at plan time`);
    }
    const indexed = rest.length > 1 ? this.instance(`${head}.${rest[0]}`, rest[1]) : undefined;
    const id = indexed ?? `${head}.${rest[0]}`;
    const target = this.raw.get(id);
    if (!target || rest.length < 1) return new Unresolved(source, `"${id}" is not a resource of this configuration`);
    const attributePath = rest.slice(indexed ? 2 : 1).filter((step) => !/^\d+$/.test(step));
    if (attributePath.length > 0 && !this.inProgress.has(id)) {
      const found = followPath(this.properties(id), attributePath);
      if (found !== undefined) return found;
    }
    return new Reference(target.key, attributePath.length > 0 ? attributePath.join('.') : undefined, source);
  }

  /**
   * The document an `aws_iam_policy_document` data source renders, built from
   * its blocks as Terraform does (statement → Statement, actions → Action,
   * principals → Principal, condition → Condition, …). Statements from
   * `source_policy_documents` come first, as Terraform merges them; anything
   * it cannot evaluate (a dynamic statement, an override) stays unresolved.
   */
  private policyDocument(name: string, source: string): Value {
    const cached = this.policyDocuments.get(name);
    if (cached !== undefined) return cached;
    this.policyDocuments.set(name, new Unresolved(source, `policy document "${name}" refers to itself`));
    const byName = mergeSections(this.dataSources.aws_iam_policy_document);
    const entry = byName[name];
    const body = Array.isArray(entry) ? entry[0] : entry;
    let document: Value;
    if (!isJsonObject(body)) {
      document = new Unresolved(source, `data source "aws_iam_policy_document.${name}" is not defined`);
    } else if (body.override_policy_documents !== undefined || body.override_json !== undefined) {
      document = new Unresolved(source, 'a policy document with overrides, which replace statements by Sid at plan time');
    } else {
      const statements: Value[] = [];
      for (const sourceDocument of asValueList(this.value(body.source_policy_documents ?? body.source_json))) {
        if (isPlainObject(sourceDocument) && Array.isArray(sourceDocument.Statement)) statements.push(...sourceDocument.Statement);
        else statements.push(sourceDocument instanceof Unresolved ? sourceDocument : new Unresolved(String(sourceDocument), 'a source policy document the guardrail cannot read'));
      }
      const dynamic = isJsonObject(body.dynamic) && body.dynamic.statement !== undefined;
      // The dynamic block's text is kept, so that a reader can tell whether it could grant what it looks for.
      if (dynamic) statements.push(new Unresolved(`dynamic "statement" ${JSON.stringify((body.dynamic as { statement: unknown }).statement)}`, 'statements generated by a dynamic block at plan time'));
      for (const statement of Array.isArray(body.statement) ? body.statement : body.statement === undefined ? [] : [body.statement]) {
        statements.push(isJsonObject(statement) ? this.policyStatement(statement) : new Unresolved(source, 'a statement the guardrail cannot read'));
      }
      document = { Version: typeof body.version === 'string' ? body.version : '2012-10-17', Statement: statements };
    }
    this.policyDocuments.set(name, document);
    return document;
  }

  private policyStatement(statement: { [key: string]: unknown }): Value {
    const out: { [key: string]: Value } = { Effect: statement.effect === undefined ? 'Allow' : this.value(statement.effect) };
    const copy: [string, string][] = [
      ['sid', 'Sid'],
      ['actions', 'Action'],
      ['not_actions', 'NotAction'],
      ['resources', 'Resource'],
      ['not_resources', 'NotResource'],
    ];
    for (const [from, to] of copy) if (statement[from] !== undefined) out[to] = this.value(statement[from]);
    for (const [from, to] of [['principals', 'Principal'], ['not_principals', 'NotPrincipal']] as const) {
      if (statement[from] === undefined) continue;
      const principal: { [type: string]: Value } = {};
      for (const block of Array.isArray(statement[from]) ? (statement[from] as unknown[]) : [statement[from]]) {
        if (isJsonObject(block) && typeof block.type === 'string') setOwn(principal, block.type, this.value(block.identifiers));
      }
      out[to] = principal;
    }
    if (statement.condition !== undefined) {
      const condition: { [test: string]: { [variable: string]: Value } } = {};
      for (const block of Array.isArray(statement.condition) ? statement.condition : [statement.condition]) {
        if (!isJsonObject(block) || typeof block.test !== 'string' || typeof block.variable !== 'string') continue;
        let variables = Object.prototype.hasOwnProperty.call(condition, block.test) ? condition[block.test] : undefined;
        if (!variables) setOwn(condition, block.test, (variables = {}));
        setOwn(variables, block.variable, this.value(block.values));
      }
      out.Condition = condition;
    }
    return out;
  }

  private local(path: string[], source: string): Value {
    const [name, ...rest] = path;
    if (!(name in this.locals)) return new Unresolved(source, `local "${name}" is not defined`);
    let value = this.resolvedLocals.get(name);
    if (value === undefined) {
      this.resolvedLocals.set(name, new Unresolved(source, `local "${name}" refers to itself`));
      value = this.value(this.locals[name]);
      this.resolvedLocals.set(name, value);
    }
    return rest.length > 0 ? (followPath(value, rest) ?? new Unresolved(source, `local "${name}" has no "${rest.join('.')}"`)) : value;
  }

  /** `type.name[0]` or `type.name["key"]`, when the configuration has that instance. */
  private instance(base: string, step: string): string | undefined {
    for (const candidate of [`${base}[${step}]`, `${base}[${JSON.stringify(step)}]`]) if (this.raw.has(candidate)) return candidate;
    return undefined;
  }

  /** A reference to a resource inside an expanded module, resolved like one outside it. */
  private moduleResource(traversal: readonly string[]): Value | undefined {
    let prefix = '';
    let steps = traversal;
    while (steps[0] === 'module' && steps.length > 2) {
      const instance = [`module.${steps[1]}[${steps[2]}]`, `module.${steps[1]}[${JSON.stringify(steps[2])}]`].find((candidate) => [...this.raw.keys()].some((id) => id.startsWith(`${prefix}${candidate}.`)));
      prefix += instance ? `${instance}.` : `module.${steps[1]}.`;
      steps = steps.slice(instance ? 3 : 2);
    }
    if (prefix === '' || steps.length < 2) return undefined;
    const base = `${prefix}${steps[0]}.${steps[1]}`;
    const indexed = steps.length > 2 ? this.instance(base, steps[2]) : undefined;
    const id = indexed ?? base;
    const target = this.raw.get(id);
    if (!target) return undefined;
    const attributePath = steps.slice(indexed ? 3 : 2).filter((step) => !/^\d+$/.test(step));
    if (attributePath.length > 0 && !this.inProgress.has(id)) {
      const found = followPath(this.properties(id), attributePath);
      if (found !== undefined) return found;
    }
    return new Reference(target.key, attributePath.length > 0 ? attributePath.join('.') : undefined, `\${${traversal.join('.')}}`);
  }

  private mentionedResources(expression: string): string[] {
    const out: string[] = [];
    for (const match of expression.matchAll(/\b([a-z][a-z0-9_-]*)\.([A-Za-z_][\w-]*)/g)) {
      const item = this.raw.get(`${match[1]}.${match[2]}`);
      if (item) out.push(item.key);
    }
    return out;
  }
}

function collectResources(document: { [key: string]: unknown }, stack: StackInfo): RawResource[] {
  const out: RawResource[] = [];
  // Module blocks are not expanded: each one is kept as a resource of type "module", which the engine reports as not
  // inspected, so that what a module deploys never passes unread.
  const modules = Array.isArray(document.module) ? document.module : [document.module];
  for (const section of modules) {
    if (section === undefined) continue;
    if (!isJsonObject(section)) throw new InputError(`${stack.file}: "module" must be an object of module blocks`, 'regenerate the configuration');
    for (const [name, body] of Object.entries(section)) {
      const first = Array.isArray(body) ? body[0] : body;
      if (!isJsonObject(first)) throw new InputError(`${stack.file}: module "${name}" has no body`, 'regenerate the configuration');
      const id = `module.${name}`;
      out.push({ key: `${stack.name}/${id}`, id, type: 'module', body: first });
    }
  }
  const sections = Array.isArray(document.resource) ? document.resource : [document.resource];
  for (const section of sections) {
    if (section === undefined) continue;
    if (!isJsonObject(section)) throw new InputError(`${stack.file}: "resource" must be an object of resource types`, 'regenerate the configuration');
    for (const [type, byName] of Object.entries(section)) {
      const entries = Array.isArray(byName) ? byName : [byName];
      for (const entry of entries) {
        if (!isJsonObject(entry)) throw new InputError(`${stack.file}: resource type "${type}" must map names to resource bodies`, 'regenerate the configuration');
        for (const [name, body] of Object.entries(entry)) {
          const id = `${type}.${name}`;
          const first = Array.isArray(body) ? body[0] : body;
          if (!isJsonObject(first)) throw new InputError(`${stack.file}: resource "${id}" has no body`, 'regenerate the configuration');
          for (const instance of literalInstances(id, type, first)) out.push({ key: `${stack.name}/${instance.id}`, ...instance });
        }
      }
    }
  }
  return out;
}

/**
 * The instances a literal `count` or `for_each` of a Terraform JSON resource
 * makes: none for 0 or an empty collection (the resource does not exist),
 * `type.name[0]`… or `type.name["key"]`… with `count.index` and `each.*`
 * written in, and one of unknown existence when the value is an expression
 * (a directory of .tf files evaluates those with its variables).
 */
function literalInstances(id: string, type: string, body: { [key: string]: unknown }): { id: string; type: string; body: { [key: string]: unknown }; expanded?: ExpandedResource }[] {
  const unknown = (what: string, value: unknown): { id: string; type: string; body: { [key: string]: unknown }; expanded: ExpandedResource } => {
    const existence = new Unresolved(`${what} = ${typeof value === 'string' ? value : JSON.stringify(value)}`, `how many instances exist is known only at plan time`);
    return { id, type, body, expanded: { id, type, body, existence } };
  };
  if (body.count !== undefined) {
    // Only a whole, non-negative number is a count Terraform accepts; anything else is not read as "none".
    if (typeof body.count !== 'number' || !Number.isInteger(body.count) || body.count < 0) return [unknown('count', body.count)];
    return Array.from({ length: body.count }, (_, index) => ({ id: `${id}[${index}]`, type, body: substituteInstance(body, { 'count.index': index }) as { [key: string]: unknown } }));
  }
  if (body.for_each !== undefined) {
    const collection = body.for_each;
    if (Array.isArray(collection) && collection.every((item) => typeof item === 'string')) {
      return [...new Set(collection as string[])].sort().map((key) => ({ id: `${id}[${JSON.stringify(key)}]`, type, body: substituteInstance(body, { 'each.key': key, 'each.value': key }) as { [key: string]: unknown } }));
    }
    if (isJsonObject(collection)) {
      return Object.keys(collection)
        .sort()
        .map((key) => {
          const value = collection[key];
          const primitive = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
          return { id: `${id}[${JSON.stringify(key)}]`, type, body: substituteInstance(body, primitive ? { 'each.key': key, 'each.value': value } : { 'each.key': key }) as { [key: string]: unknown } };
        });
    }
    return [unknown('for_each', collection)];
  }
  return [{ id, type, body }];
}

/** Writes `${count.index}`, `${each.key}` and primitive `${each.value}` into an instance's arguments. */
function substituteInstance(value: unknown, known: { readonly [expression: string]: string | number | boolean }): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{\s*([\w.]+)\s*\}$/.exec(value);
    if (whole && hasOwn(known, whole[1])) return known[whole[1]];
    return value.replace(/\$\{\s*([\w.]+)\s*\}/g, (match, expression: string) => (hasOwn(known, expression) ? String(known[expression]) : match));
  }
  if (Array.isArray(value)) return value.map((item) => substituteInstance(item, known));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === 'count' || key === 'for_each' ? item : substituteInstance(item, known)]));
  return value;
}

function asValueList(value: Value | undefined): Value[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function mergeSections(value: unknown): { [key: string]: unknown } {
  if (Array.isArray(value)) return Object.assign({}, ...value.filter(isJsonObject));
  return isJsonObject(value) ? value : {};
}

type TemplatePiece = string | { expression: string };

/** Splits `a-${x.y}-b` into literal text and expressions, honouring `$${` escapes and nested braces. */
export function splitTemplate(text: string): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let literal = '';
  let index = 0;
  while (index < text.length) {
    if (text.startsWith('$${', index)) {
      literal += '${';
      index += 3;
      continue;
    }
    if (text.startsWith('${', index)) {
      let depth = 1;
      let cursor = index + 2;
      let quote = false;
      while (cursor < text.length && depth > 0) {
        const char = text[cursor];
        if (quote) {
          if (char === '\\') cursor++;
          else if (char === '"') quote = false;
        } else if (char === '"') quote = true;
        else if (char === '{') depth++;
        else if (char === '}') depth--;
        cursor++;
      }
      if (depth !== 0) {
        literal += text.slice(index);
        break;
      }
      if (literal) pieces.push(literal);
      literal = '';
      pieces.push({ expression: text.slice(index + 2, cursor - 1) });
      index = cursor;
      continue;
    }
    literal += text[index++];
  }
  if (literal || pieces.length === 0) pieces.push(literal);
  return pieces;
}

/** `a.b[0].c["d"]` → `['a','b','0','c','d']`; anything else (calls, operators) → undefined. */
function parseTraversal(expression: string): string[] | undefined {
  if (!/^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\.\d+|\[\d+\]|\["[^"]*"\])*$/.test(expression)) return undefined;
  const steps: string[] = [];
  for (const match of expression.matchAll(/([A-Za-z_][\w-]*)|\[(\d+)\]|\["([^"]*)"\]|\.(\d+)/g)) {
    steps.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
  }
  return steps;
}

function followPath(value: Value, path: readonly string[]): Value | undefined {
  let current: Value | undefined = value;
  for (const step of path) {
    if (Array.isArray(current)) current = current.length === 1 ? current[0] : undefined;
    if (!isPlainObject(current) || !(step in current)) return undefined;
    current = current[step];
  }
  return current;
}

/**
 * `dynamic "<name>" { for_each = …, content { … } }` builds `<name>` blocks at
 * plan time: how many, and with what, is unknown here. The blocks are
 * replaced by one unresolved value (mentioning what the for_each and content
 * reference), so rules that read `<name>` fail closed instead of reading the
 * block as absent. Nested blocks are handled the same way.
 */
function withDynamicBlocks(value: Value): void {
  if (Array.isArray(value)) {
    for (const item of value) withDynamicBlocks(item);
    return;
  }
  if (!isPlainObject(value)) return;
  const dynamic = value.dynamic;
  if (isPlainObject(dynamic)) {
    delete value.dynamic;
    for (const [name, spec] of Object.entries(dynamic)) {
      value[name] = new Unresolved(`dynamic "${name}" { … }`, `"${name}" blocks are built by a dynamic block, known only at plan time`, [...referencedKeys(spec)]);
    }
  }
  for (const item of Object.values(value)) withDynamicBlocks(item);
}

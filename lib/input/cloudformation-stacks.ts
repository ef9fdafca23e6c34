/**
 * Reading a CloudFormation stack of a cloud assembly with the nested stacks it
 * deploys: the one reader both the CLI (`llm-guardrail check cdk.out`) and
 * the CDK gate use, so that they judge exactly the same documents.
 *
 * A nested stack is an `AWS::CloudFormation::Stack` resource whose template
 * the assembly holds as a file asset: found through the asset manifests of
 * the assembly (the resource's `TemplateURL` names the asset's object key),
 * or through the `aws:asset:path` metadata the cdk CLI adds. Nested stacks
 * deploy with their parent's environment and are named by construct path
 * (`Parent/Inner`), as the asset manifest gives it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../core/errors';
import type { Resource, StackInfo } from '../core/graph';
import { Reference, Unresolved, Value, isJsonObject, isPlainObject } from '../core/values';
import { resourcesFromTemplate } from './cloudformation';
import { readJson } from './json-file';

/** How deep nested stacks may go: CloudFormation itself allows a handful of levels; a loop must not recurse forever. */
export const MAX_NESTED_STACK_DEPTH = 16;

/** Construct paths by logical id, for templates written without path metadata. */
export interface LogicalIdPaths {
  get(logicalId: string): string | undefined;
}

export interface StackSource {
  /** The template file. */
  readonly templatePath: string;
  /** The template, when the caller has read it already. */
  readonly template?: unknown;
  /** The stack as far as the assembly describes it (name, environment, construct path). */
  readonly stack: Omit<StackInfo, 'format' | 'file'>;
  /** Construct paths of the stack's own resources, when its template has no path metadata. */
  readonly constructPaths?: LogicalIdPaths;
  /** Construct paths of a nested stack's resources, by the nested stack's construct path. */
  readonly nestedConstructPaths?: (constructPath: string, templatePath: string) => LogicalIdPaths | undefined;
}

/** Asset manifests read during one load, by assembly directory. */
export type AssetCache = Map<string, AssetIndex>;

/**
 * A stack and the nested stacks under it, read into stacks and resources
 * (parents first). Pass one `assets` cache for all the stacks of one load.
 */
export function readCloudFormationStack(source: StackSource, into: StackReading, assets: AssetCache = new Map()): void {
  read(source, source.stack.path ?? source.stack.name, 0, new Set(), into, assets);
}

/** What reading stacks collects: stacks, resources, and the values the stacks export by name. */
export interface StackReading {
  readonly stacks: StackInfo[];
  readonly resources: Resource[];
  /** Export name → the resource (and attribute) it exports, for `Fn::ImportValue` across the stacks of one load. */
  exports?: Map<string, Reference>;
}

/**
 * The exports of a template that name one of its resources (`Value: { Ref }`
 * or `{ Fn::GetAtt }`, under a literal `Export.Name`): what CDK writes for a
 * cross-stack reference.
 */
function templateExports(template: unknown, stack: StackInfo): [string, Reference][] {
  if (!isJsonObject(template) || !isJsonObject(template.Outputs) || !isJsonObject(template.Resources)) return [];
  const resources = template.Resources;
  const out: [string, Reference][] = [];
  for (const output of Object.values(template.Outputs)) {
    if (!isJsonObject(output) || !isJsonObject(output.Export) || typeof output.Export.Name !== 'string' || !isJsonObject(output.Value)) continue;
    const value = output.Value;
    const ref = typeof value.Ref === 'string' ? value.Ref : undefined;
    const getAtt = Array.isArray(value['Fn::GetAtt']) ? value['Fn::GetAtt'] : typeof value['Fn::GetAtt'] === 'string' ? value['Fn::GetAtt'].split('.') : undefined;
    const target = ref ?? (getAtt && typeof getAtt[0] === 'string' ? getAtt[0] : undefined);
    if (target === undefined || !Object.prototype.hasOwnProperty.call(resources, target)) continue;
    const attribute = ref === undefined && getAtt && typeof getAtt[1] === 'string' ? getAtt[1] : undefined;
    out.push([output.Export.Name, new Reference(`${stack.name}/${target}`, attribute, `${stack.name}:${output.Export.Name}`)]);
  }
  return out;
}

/** An `Fn::ImportValue` of a literal export name, as the template reader keeps it. */
const IMPORT = /^\{"Fn::ImportValue":\s*"((?:[^"\\]|\\.)*)"\}$/;

/**
 * Replaces every `Fn::ImportValue` of a name another stack of the same load
 * exports with a reference to the exported resource: a cross-stack reference
 * (CDK writes one for every construct used across stacks) names a resource
 * of the app, judged where it is defined. Imports of names no stack of the
 * load exports stay deploy-time values.
 */
export function linkImports(into: StackReading): void {
  const exports = into.exports;
  if (!exports || exports.size === 0) return;
  const link = (value: Value): Value => {
    if (value instanceof Unresolved) {
      const match = IMPORT.exec(value.expression);
      const exported = match ? exports.get(JSON.parse(`"${match[1]}"`) as string) : undefined;
      return exported ?? value;
    }
    if (Array.isArray(value)) {
      let changed = false;
      const items = value.map((item) => {
        const linked = link(item);
        if (linked !== item) changed = true;
        return linked;
      });
      return changed ? items : value;
    }
    if (isPlainObject(value)) {
      let copy: { [key: string]: Value } | undefined;
      for (const key of Object.keys(value)) {
        const linked = link(value[key]);
        if (linked !== value[key]) (copy ??= { ...value })[key] = linked;
      }
      return copy ?? value;
    }
    return value;
  };
  for (let index = 0; index < into.resources.length; index++) {
    const resource = into.resources[index];
    const properties = link(resource.properties as Value);
    if (properties !== resource.properties) into.resources[index] = { ...resource, properties: properties as { [key: string]: Value } };
  }
}

function read(source: StackSource, rootPath: string, depth: number, seen: Set<string>, into: StackReading, assets: AssetCache): void {
  const templatePath = path.resolve(source.templatePath);
  if (seen.has(templatePath)) throw new InputError(`${source.templatePath}: nested stacks deploy each other in a loop`, 'synthesize again; a stack cannot contain itself');
  if (depth > MAX_NESTED_STACK_DEPTH) throw new InputError(`${source.templatePath}: nested stacks go deeper than ${MAX_NESTED_STACK_DEPTH} levels`, 'flatten the stack hierarchy');
  const template = source.template ?? readJson(templatePath);
  const stack: StackInfo = { ...source.stack, format: 'cloudformation', file: source.templatePath };
  into.stacks.push(stack);
  const resources = resourcesFromTemplate(template, stack, source.constructPaths);
  const children: StackSource[] = [];
  const directory = path.dirname(templatePath);
  const section = (template as { Resources: { [id: string]: unknown } }).Resources;
  for (const logicalId in section) {
    const body = section[logicalId];
    if (!isJsonObject(body) || body.Type !== 'AWS::CloudFormation::Stack') continue;
    const nested = nestedTemplate(directory, body, rootPath, assets);
    if (!nested) {
      // What a nested stack deploys from a template the assembly does not hold (a template URL of someone else's,
      // an asset manifest gone missing) is unknown: the engine reports it as not inspected, never as read.
      const index = resources.findIndex((resource) => resource.id === logicalId);
      resources[index] = { ...resources[index], unread: 'the cloud assembly does not hold the template this nested stack deploys' };
      continue;
    }
    const resourcePath = isJsonObject(body.Metadata) && typeof body.Metadata['aws:cdk:path'] === 'string' ? body.Metadata['aws:cdk:path'] : source.constructPaths?.get(logicalId);
    const constructPath = nested.constructPath ?? nestedStackPath(resourcePath) ?? `${stack.path ?? stack.name}/${logicalId}`;
    const child: StackSource = {
      templatePath: nested.file,
      stack: { name: constructPath, region: stack.region, account: stack.account, path: constructPath },
      constructPaths: source.nestedConstructPaths?.(constructPath, nested.file),
      nestedConstructPaths: source.nestedConstructPaths,
    };
    children.push(child);
  }
  into.resources.push(...resources);
  for (const [name, reference] of templateExports(template, stack)) (into.exports ??= new Map()).set(name, reference);
  for (const child of children) read(child, rootPath, depth + 1, new Set([...seen, templatePath]), into, assets);
}

/**
 * A nested stack's construct path from its resource's construct path
 * (`Parent/Inner.NestedStack/Inner.NestedStackResource` → `Parent/Inner`), for
 * asset manifests without display names (older aws-cdk-lib releases).
 */
function nestedStackPath(resourcePath: string | undefined): string | undefined {
  const match = resourcePath !== undefined ? /^\/?(.*)\/([^/]+)\.NestedStack\/\2\.NestedStackResource$/.exec(resourcePath) : null;
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/** The template file of a nested stack resource, inside the assembly directory, and its construct path when the assembly says it. */
function nestedTemplate(directory: string, body: { [key: string]: unknown }, rootPath: string, cache: AssetCache): { file: string; constructPath?: string } | undefined {
  const metadata = isJsonObject(body.Metadata) ? body.Metadata : {};
  const assetPath = typeof metadata['aws:asset:path'] === 'string' ? metadata['aws:asset:path'] : undefined;
  const assets = assetIndex(directory, cache);
  const url = JSON.stringify(isJsonObject(body.Properties) ? (body.Properties.TemplateURL ?? '') : '');
  const asset = (assetPath !== undefined ? assets.byPath.get(assetPath) : undefined) ?? [...assets.byObjectKey].find(([objectKey]) => url.includes(objectKey))?.[1];
  const file = asset?.path ?? assetPath;
  if (file === undefined) return undefined;
  const full = insideDirectory(directory, file);
  const relative = asset?.displayName?.replace(/ Nested Stack Template$/, '');
  return { file: full, ...(relative ? { constructPath: `${rootPath}/${relative}` } : {}) };
}

export interface FileAsset {
  readonly path: string;
  readonly displayName?: string;
}

export interface AssetIndex {
  readonly byObjectKey: Map<string, FileAsset>;
  readonly byPath: Map<string, FileAsset>;
}

/** The file assets of the asset manifests (`*.assets.json`) in an assembly directory, by object key and by source path. */
function assetIndex(directory: string, cache: AssetCache): AssetIndex {
  let index = cache.get(directory);
  if (index) return index;
  index = { byObjectKey: new Map(), byPath: new Map() };
  cache.set(directory, index);
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(directory).filter((entry) => entry.endsWith('.assets.json'));
  } catch {
    return index;
  }
  for (const entry of entries) {
    const manifest = readJson(path.join(directory, entry));
    const files = isJsonObject(manifest) && isJsonObject(manifest.files) ? manifest.files : {};
    for (const asset of Object.values(files)) {
      if (!isJsonObject(asset) || !isJsonObject(asset.source) || typeof asset.source.path !== 'string' || !asset.source.path.endsWith('.template.json')) continue;
      const file: FileAsset = { path: asset.source.path, ...(typeof asset.displayName === 'string' ? { displayName: asset.displayName } : {}) };
      index.byPath.set(file.path, file);
      for (const destination of isJsonObject(asset.destinations) ? Object.values(asset.destinations) : []) {
        if (isJsonObject(destination) && typeof destination.objectKey === 'string') index.byObjectKey.set(destination.objectKey, file);
      }
    }
  }
  return index;
}

/** A file an assembly names, resolved inside the assembly directory; a name that escapes it (`../`) is refused. */
export function insideDirectory(directory: string, file: string): string {
  const full = path.resolve(directory, file);
  const root = path.resolve(directory);
  if (full !== root && !full.startsWith(root + path.sep)) {
    throw new InputError(`${path.join(directory, file)}: the assembly names a file outside its directory`, 'pass a cloud assembly that synthesis wrote; its files stay inside it');
  }
  return full;
}

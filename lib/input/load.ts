import * as fs from 'fs';
import * as path from 'path';
import { AssetCache, insideDirectory, linkImports, readCloudFormationStack } from './cloudformation-stacks';
import { InputError } from '../core/errors';
import { Resource, ResourceGraph, SourceLocation, StackInfo } from '../core/graph';
import { resourcesFromPlan } from './terraform-plan';
import { resourcesFromTerraform } from './terraform';
import { TerraformVariableOptions, isTerraformDirectory, loadTerraformDirectory } from './terraform-hcl';
import { JsonObject, Reference, Unresolved, isJsonObject } from '../core/values';
import { readJson } from './json-file';
import { readCloudFormationYaml } from './cloudformation-yaml';
import { isYamlFile } from '../policy/policy-file';
import { creationLocations } from './source-locations';

/** What an input path turned out to be. */
export type InputKind = 'cdk-assembly' | 'cdktf-output' | 'cloudformation-template' | 'terraform-json' | 'terraform-plan' | 'terraform-directory';

export interface LoadedInput {
  readonly kind: InputKind;
  readonly graph: ResourceGraph;
}

/**
 * Reads any supported input into one resource graph:
 * a CDK cloud assembly (`cdk.out`), a CDKTF output (`cdktf.out`), a single
 * CloudFormation template, a Terraform JSON configuration or a
 * `terraform show -json` plan.
 */
/** Where a bare template deploys: a cdk.out says so in its manifest, a single template does not. */
export interface TemplateEnvironment {
  readonly region?: string;
  readonly account?: string;
}

export function loadInput(inputPath: string, environment: TemplateEnvironment = {}): LoadedInput {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(inputPath);
  } catch {
    throw new InputError(`${inputPath}: no such file or directory`, 'pass a cdk.out or cdktf.out directory, a template, a Terraform JSON file or a plan JSON');
  }
  if (stat.isDirectory()) {
    if (isTerraformDirectory(inputPath) && !fs.existsSync(path.join(inputPath, 'manifest.json'))) {
      throw new InputError(`${inputPath}: a directory of Terraform files, which is read asynchronously`, 'use loadInputAsync (the llm-guardrail command does)');
    }
    return loadDirectory(inputPath);
  }
  if (/\.tf$|\.tfvars$/.test(inputPath)) {
    throw new InputError(`${inputPath}: this is HCL (a Terraform file), read with the rest of its module`, `pass the directory: llm-guardrail check ${path.dirname(inputPath)}`);
  }
  const yaml = isYamlFile(inputPath);
  const document = yaml ? readCloudFormationYaml(inputPath) : readJson(inputPath);
  const name = path.basename(inputPath).replace(/(\.template)?(\.tf)?\.(json|ya?ml)$/i, '');
  if (yaml && !(isJsonObject(document) && isJsonObject(document.Resources))) {
    throw new InputError(`${inputPath}: a YAML file that is not a CloudFormation template (no "Resources")`, 'pass a CloudFormation or SAM template, or a JSON input');
  }
  if (isJsonObject(document) && isJsonObject(document.Resources)) {
    // Nested stacks are read when their templates lie beside it with the asset manifest (a template of a cdk.out).
    const into: { stacks: StackInfo[]; resources: Resource[] } = { stacks: [], resources: [] };
    readCloudFormationStack({ templatePath: inputPath, template: document, stack: { name, ...templateEnvironment(environment) } }, into);
    return { kind: 'cloudformation-template', graph: new ResourceGraph(into.stacks, into.resources) };
  }
  if (isJsonObject(document) && ('planned_values' in document || ('format_version' in document && 'terraform_version' in document))) {
    checkPlanFormatVersion(document.format_version, inputPath);
    const stack: StackInfo = { name, format: 'terraform', file: inputPath };
    return { kind: 'terraform-plan', graph: new ResourceGraph([stack], resourcesFromPlan(document, stack)) };
  }
  if (isJsonObject(document) && ('resource' in document || 'terraform' in document || 'provider' in document)) {
    const stack: StackInfo = { name, format: 'terraform', file: inputPath };
    return { kind: 'terraform-json', graph: new ResourceGraph([stack], resourcesFromTerraform(document, stack)) };
  }
  throw new InputError(
    `${inputPath}: not a CloudFormation template, Terraform JSON configuration or Terraform plan`,
    'pass a synthesized template (with "Resources"), a *.tf.json file or the output of `terraform show -json`',
  );
}

/**
 * {@link loadInput}, and a directory of Terraform files (`.tf`, `.tf.json`)
 * with its variables: `terraform.tfvars`, `*.auto.tfvars`, `-var-file` and
 * `-var` values from `options`, `TF_VAR_` from the environment.
 */
export async function loadInputAsync(inputPath: string, options: TerraformVariableOptions = {}, environment: TemplateEnvironment = {}): Promise<LoadedInput> {
  let directory = false;
  try {
    directory = fs.statSync(inputPath).isDirectory();
  } catch {
    // loadInput says what is missing.
  }
  if (directory && isTerraformDirectory(inputPath) && !fs.existsSync(path.join(inputPath, 'manifest.json'))) {
    return { kind: 'terraform-directory', graph: await loadTerraformDirectory(inputPath, options) };
  }
  return loadInput(inputPath, environment);
}

/**
 * The plan formats the reader knows: `terraform show -json` writes
 * `format_version` 0.1 to 1.2 (Terraform 0.12 to 1.x); within major version 1
 * Terraform only adds fields. A later major version may move what the reader
 * relies on, so it is refused rather than half read.
 */
export const SUPPORTED_PLAN_FORMATS = 'format_version 0.x and 1.x (Terraform 0.12 to 1.x)';

function checkPlanFormatVersion(version: unknown, file: string): void {
  if (typeof version === 'string' && /^[01]\.\d+$/.test(version)) return;
  throw new InputError(
    `${file}: plan format_version ${version === undefined ? '(missing)' : JSON.stringify(version)} is not one the guardrail reads (it reads ${SUPPORTED_PLAN_FORMATS})`,
    'produce the plan JSON with `terraform show -json <planfile>` from a Terraform 1.x release',
  );
}

/** A single template has no environment: its region is unknown, so residency rules fail closed. */
function templateEnvironment(environment: TemplateEnvironment): Pick<StackInfo, 'region' | 'account'> {
  return {
    region: environment.region ?? new Unresolved('AWS::Region', 'a bare template has no target region; pass --region, or check the cdk.out directory instead'),
    account: environment.account ?? new Unresolved('AWS::AccountId', 'a bare template has no target account; pass --account'),
  };
}

function loadDirectory(directory: string): LoadedInput {
  const manifestPath = path.join(directory, 'manifest.json');
  // A link that leads nowhere (or round in a loop) is there, and reading it says why it cannot be read.
  if (!fs.existsSync(manifestPath) && !isLink(manifestPath)) {
    for (const child of ['cdk.out', 'cdktf.out']) {
      if (fs.existsSync(path.join(directory, child, 'manifest.json'))) return loadDirectory(path.join(directory, child));
    }
    throw new InputError(`${directory}: no manifest.json here`, 'pass the cdk.out or cdktf.out directory that synthesis wrote');
  }
  const manifest = readJson(manifestPath);
  const stacks: StackInfo[] = [];
  const resources: Resource[] = [];
  if (isJsonObject(manifest) && isJsonObject(manifest.artifacts)) {
    const sources = new Map<StackInfo, LazyLookup<SourceLocation>>();
    const pending: PendingStack[] = [];
    collectStacks(directory, manifest, pending, new Set());
    // Stacks deployed under one name (the same stackName in two regions or stages) are named by construct path, as the gate names them.
    const named = new Map<string, number>();
    for (const entry of pending) named.set(entry.name, (named.get(entry.name) ?? 0) + 1);
    const into = { stacks, resources, sources };
    const assets: AssetCache = new Map();
    for (const entry of pending) readStack(entry, named.get(entry.name)! > 1 ? (entry.constructPath ?? entry.artifactId) : entry.name, into, assets);
    linkImports(into);
    if (stacks.length === 0) throw new InputError(`${manifestPath}: the cloud assembly holds no stack`, 'synthesize an app with at least one stack, and pass its cdk.out');
    return { kind: 'cdk-assembly', graph: new ResourceGraph(stacks, resources, (resource) => (resource.path !== undefined ? sources.get(resource.stack)?.get(resource.path) : undefined)) };
  }
  if (isJsonObject(manifest) && isJsonObject(manifest.stacks)) {
    for (const [stackName, entry] of Object.entries(manifest.stacks)) {
      if (!isJsonObject(entry) || typeof entry.synthesizedStackPath !== 'string') {
        throw new InputError(`${manifestPath}: stack "${stackName}" has no synthesizedStackPath`, 'run `cdktf synth` again');
      }
      const file = insideDirectory(directory, entry.synthesizedStackPath);
      const stack: StackInfo = {
        name: stackName,
        format: 'terraform',
        file,
        path: typeof entry.constructPath === 'string' ? entry.constructPath : undefined,
      };
      stacks.push(stack);
      resources.push(...resourcesFromTerraform(readJson(file), stack));
    }
    if (stacks.length === 0) throw new InputError(`${manifestPath}: the CDKTF output holds no stack`, 'synthesize an app with at least one TerraformStack, and pass its cdktf.out');
    return { kind: 'cdktf-output', graph: new ResourceGraph(stacks, resources) };
  }
  throw new InputError(`${manifestPath}: neither a CDK cloud assembly nor a CDKTF manifest`, 'pass the directory that `cdk synth` or `cdktf synth` wrote');
}

/** Artifact types of a cloud assembly that hold no template: the reader knows them and passes them by. */
const ARTIFACTS_WITHOUT_TEMPLATES = new Set(['cdk:asset-manifest', 'cdk:tree', 'cdk:feature-flag-report']);
/** How deep stages (nested cloud assemblies) may go. */
const MAX_ASSEMBLY_DEPTH = 16;

interface AssemblyReading {
  readonly stacks: StackInfo[];
  readonly resources: Resource[];
  exports?: Map<string, Reference>;
  /** Creation locations by construct path, per stack (one lookup for an artifact's stack and its nested stacks). */
  readonly sources: Map<StackInfo, LazyLookup<SourceLocation>>;
}

/** A stack artifact of the assembly (or of a stage inside it), found before any template is read. */
interface PendingStack {
  readonly directory: string;
  readonly artifactId: string;
  readonly artifact: JsonObject;
  readonly templatePath: string;
  /** The name it deploys under: its stackName, else its artifact id. */
  readonly name: string;
  readonly constructPath?: string;
}

/** The stack artifacts of an assembly and of the stages inside it, in manifest order; refuses what it cannot read. */
function collectStacks(directory: string, manifest: { [key: string]: unknown }, into: PendingStack[], seen: Set<string>): void {
  const where = path.join(directory, 'manifest.json');
  const real = realPath(directory);
  if (seen.has(real)) throw new InputError(`${where}: the cloud assembly contains itself`, 'synthesize again; a stage cannot contain its own assembly');
  if (seen.size >= MAX_ASSEMBLY_DEPTH) throw new InputError(`${where}: stages nest deeper than ${MAX_ASSEMBLY_DEPTH} levels`, 'flatten the stage hierarchy');
  const inside = new Set([...seen, real]);
  const artifacts = manifest.artifacts as { [key: string]: unknown };
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (!isJsonObject(artifact)) throw new InputError(`${where}: artifact "${artifactId}" is not an object`, 'synthesize again; the manifest is corrupt');
    const properties = isJsonObject(artifact.properties) ? artifact.properties : {};
    if (artifact.type === 'cdk:cloud-assembly') {
      if (typeof properties.directoryName !== 'string') throw new InputError(`${where}: nested assembly "${artifactId}" names no directory`, 'synthesize again');
      const nested = insideDirectory(directory, properties.directoryName);
      const nestedManifest = readJson(path.join(nested, 'manifest.json'));
      if (!isJsonObject(nestedManifest) || !isJsonObject(nestedManifest.artifacts)) throw new InputError(`${path.join(nested, 'manifest.json')}: not a cloud assembly manifest`, 'synthesize again');
      collectStacks(nested, nestedManifest, into, inside);
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') {
      // An artifact of a kind the reader does not know that carries a template would go unread: refuse it instead.
      if (properties.templateFile !== undefined || (typeof artifact.type === 'string' && !ARTIFACTS_WITHOUT_TEMPLATES.has(artifact.type) && /stack|template/i.test(artifact.type))) {
        throw new InputError(`${where}: artifact "${artifactId}" of type ${JSON.stringify(artifact.type)} is not one the guardrail reads`, 'pass a cloud assembly written by cdk synth (stacks are of type "aws:cloudformation:stack")');
      }
      continue;
    }
    if (typeof properties.templateFile !== 'string') throw new InputError(`${where}: stack "${artifactId}" names no template file (templateFile = ${JSON.stringify(properties.templateFile ?? null)})`, 'synthesize again');
    const templatePath = insideDirectory(directory, properties.templateFile);
    const constructPath = typeof artifact.displayName === 'string' ? artifact.displayName : undefined;
    into.push({ directory, artifactId, artifact, templatePath, name: typeof properties.stackName === 'string' ? properties.stackName : artifactId, ...(constructPath !== undefined ? { constructPath } : {}) });
  }
}

/** Reads one stack artifact (and the nested stacks it deploys) under `name`. */
function readStack(entry: PendingStack, name: string, into: AssemblyReading, assets: AssetCache): void {
  const { directory, artifact } = entry;
  const before = into.stacks.length;
  readCloudFormationStack(
    {
      templatePath: entry.templatePath,
      stack: {
        name,
        ...parseEnvironment(typeof artifact.environment === 'string' ? artifact.environment : undefined),
        path: entry.constructPath,
      },
      constructPaths: new LazyLookup(() => artifactLogicalIdPaths(directory, artifact)),
      nestedConstructPaths: (nestedPath) => new LazyLookup(() => artifactLogicalIdPaths(directory, artifact, nestedPath)),
    },
    into,
    assets,
  );
  const locations = new LazyLookup(() => artifactCreationLocations(directory, artifact));
  for (const stack of into.stacks.slice(before)) into.sources.set(stack, locations);
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function realPath(directory: string): string {
  try {
    return fs.realpathSync(directory);
  } catch {
    return path.resolve(directory);
  }
}

/**
 * A map computed on first lookup: construct paths by logical id (needed only
 * for templates written without `aws:cdk:path` metadata) and creation
 * locations by construct path (needed only for findings) are read only then.
 */
export class LazyLookup<T = string> {
  private map: ReadonlyMap<string, T> | undefined;

  constructor(private readonly compute: () => ReadonlyMap<string, T>) {}

  get(key: string): T | undefined {
    this.map ??= this.compute();
    return this.map.get(key);
  }
}

/** The metadata sections of a stack artifact: inline in the manifest, and in the file aws-cdk-lib writes them to (`additionalMetadataFile`). */
function artifactMetadata(directory: string, artifact: JsonObject): unknown[] {
  const sections: unknown[] = [artifact.metadata];
  if (typeof artifact.additionalMetadataFile === 'string') {
    const file = insideDirectory(directory, artifact.additionalMetadataFile);
    if (fs.existsSync(file)) sections.push(readJson(file));
  }
  return sections;
}

/** Construct path → the app line that created it, from the creation traces of a stack artifact (recorded when synthesized with stack traces). */
export function artifactCreationLocations(directory: string, artifact: JsonObject): Map<string, SourceLocation> {
  const out = new Map<string, SourceLocation>();
  for (const section of artifactMetadata(directory, artifact)) creationLocations(section, out);
  return out;
}

/**
 * Logical id → construct path of the resources of one stack of an artifact,
 * from the `aws:cdk:logicalId` entries of its metadata: inline in the
 * manifest, and in the file aws-cdk-lib writes them to (`additionalMetadataFile`).
 * The artifact's metadata covers its nested stacks too (logical ids are per
 * template): `nestedStackPath` picks the entries of one nested stack; without
 * it, those of the artifact's own stack, under no nested stack (a nested stack
 * shows as a `<Name>.NestedStack/<Name>.NestedStackResource` entry).
 */
export function artifactLogicalIdPaths(directory: string, artifact: JsonObject, nestedStackPath?: string): Map<string, string> {
  const entries: [string, string][] = [];
  for (const section of artifactMetadata(directory, artifact)) collectLogicalIds(entries, section);
  const nestedStacks = entries.map(([constructPath]) => /^(.*)\/([^/]+)\.NestedStack\/\2\.NestedStackResource$/.exec(constructPath)).flatMap((match) => (match ? [`${match[1]}/${match[2]}`] : []));
  const owner = (constructPath: string): string | undefined => nestedStacks.filter((nested) => constructPath.startsWith(`${nested}/`)).sort((a, b) => b.length - a.length)[0];
  const out = new Map<string, string>();
  for (const [constructPath, logicalId] of entries) if (owner(constructPath) === nestedStackPath) out.set(logicalId, constructPath);
  return out;
}

function collectLogicalIds(out: [string, string][], metadata: unknown): void {
  if (!isJsonObject(metadata)) return;
  for (const [constructPath, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (isJsonObject(entry) && entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') out.push([constructPath.replace(/^\//, ''), entry.data]);
    }
  }
}

/** `aws://123456789012/eu-central-1`; `unknown-account`/`unknown-region` for env-agnostic stacks. */
export function parseEnvironment(environment: string | undefined): Pick<StackInfo, 'region' | 'account'> {
  const match = /^aws:\/\/([^/]*)\/(.*)$/.exec(environment ?? '');
  const account = match?.[1];
  const region = match?.[2];
  return {
    account: account && account !== 'unknown-account' ? account : new Unresolved('AWS::AccountId', 'the stack is environment-agnostic (no account)'),
    region:
      region && region !== 'unknown-region'
        ? region
        : new Unresolved('AWS::Region', 'the stack is environment-agnostic: set env: { region } on the stack'),
  };
}

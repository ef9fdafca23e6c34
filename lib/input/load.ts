import * as fs from 'fs';
import * as path from 'path';
import { resourcesFromTemplate } from './cloudformation';
import { InputError } from '../core/errors';
import { Resource, ResourceGraph, StackInfo } from '../core/graph';
import { resourcesFromPlan } from './terraform-plan';
import { resourcesFromTerraform } from './terraform';
import { JsonObject, Unresolved, isJsonObject } from '../core/values';

/** What an input path turned out to be. */
export type InputKind = 'cdk-assembly' | 'cdktf-output' | 'cloudformation-template' | 'terraform-json' | 'terraform-plan';

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
export function loadInput(inputPath: string): LoadedInput {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(inputPath);
  } catch {
    throw new InputError(`${inputPath}: no such file or directory`, 'pass a cdk.out or cdktf.out directory, a template, a Terraform JSON file or a plan JSON');
  }
  if (stat.isDirectory()) return loadDirectory(inputPath);
  const document = readJson(inputPath);
  const name = path.basename(inputPath).replace(/(\.template)?(\.tf)?\.json$/, '');
  if (isJsonObject(document) && isJsonObject(document.Resources)) {
    const stack: StackInfo = { name, format: 'cloudformation', file: inputPath, ...regionFromTemplateName() };
    return { kind: 'cloudformation-template', graph: new ResourceGraph([stack], resourcesFromTemplate(document, stack)) };
  }
  if (isJsonObject(document) && ('planned_values' in document || ('format_version' in document && 'terraform_version' in document))) {
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

/** A single template has no environment: its region is unknown, so residency rules fail closed. */
function regionFromTemplateName(): Pick<StackInfo, 'region' | 'account'> {
  return {
    region: new Unresolved('AWS::Region', 'a bare template has no target region; check the cdk.out directory instead'),
    account: new Unresolved('AWS::AccountId', 'a bare template has no target account'),
  };
}

function loadDirectory(directory: string): LoadedInput {
  const manifestPath = path.join(directory, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    for (const child of ['cdk.out', 'cdktf.out']) {
      if (fs.existsSync(path.join(directory, child, 'manifest.json'))) return loadDirectory(path.join(directory, child));
    }
    throw new InputError(`${directory}: no manifest.json here`, 'pass the cdk.out or cdktf.out directory that synthesis wrote');
  }
  const manifest = readJson(manifestPath);
  if (isJsonObject(manifest) && isJsonObject(manifest.artifacts)) {
    const stacks: StackInfo[] = [];
    const resources: Resource[] = [];
    readAssembly(directory, manifest, stacks, resources);
    return { kind: 'cdk-assembly', graph: new ResourceGraph(stacks, resources) };
  }
  if (isJsonObject(manifest) && isJsonObject(manifest.stacks)) {
    const stacks: StackInfo[] = [];
    const resources: Resource[] = [];
    for (const [stackName, entry] of Object.entries(manifest.stacks)) {
      if (!isJsonObject(entry) || typeof entry.synthesizedStackPath !== 'string') {
        throw new InputError(`${manifestPath}: stack "${stackName}" has no synthesizedStackPath`, 'run `cdktf synth` again');
      }
      const file = path.join(directory, entry.synthesizedStackPath);
      const stack: StackInfo = {
        name: stackName,
        format: 'terraform',
        file,
        path: typeof entry.constructPath === 'string' ? entry.constructPath : undefined,
      };
      stacks.push(stack);
      resources.push(...resourcesFromTerraform(readJson(file), stack));
    }
    return { kind: 'cdktf-output', graph: new ResourceGraph(stacks, resources) };
  }
  throw new InputError(`${manifestPath}: neither a CDK cloud assembly nor a CDKTF manifest`, 'pass the directory that `cdk synth` or `cdktf synth` wrote');
}

function readAssembly(directory: string, manifest: { [key: string]: unknown }, stacks: StackInfo[], resources: Resource[]): void {
  const artifacts = manifest.artifacts as { [key: string]: unknown };
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (!isJsonObject(artifact)) continue;
    const properties = isJsonObject(artifact.properties) ? artifact.properties : {};
    if (artifact.type === 'cdk:cloud-assembly' && typeof properties.directoryName === 'string') {
      const nested = path.join(directory, properties.directoryName);
      readAssembly(nested, asObject(readJson(path.join(nested, 'manifest.json')), nested), stacks, resources);
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack' || typeof properties.templateFile !== 'string') continue;
    const file = path.join(directory, properties.templateFile);
    const stack: StackInfo = {
      name: typeof properties.stackName === 'string' ? properties.stackName : artifactId,
      format: 'cloudformation',
      file,
      ...parseEnvironment(typeof artifact.environment === 'string' ? artifact.environment : undefined),
      path: typeof artifact.displayName === 'string' ? artifact.displayName : undefined,
    };
    stacks.push(stack);
    resources.push(...resourcesFromTemplate(readJson(file), stack, new LazyLookup(() => artifactLogicalIdPaths(directory, artifact))));
  }
}

/**
 * Logical id → construct path, computed on first lookup. Construct paths are
 * needed only for templates written without `aws:cdk:path` metadata, so their
 * sources are read only then.
 */
export class LazyLookup {
  private map: ReadonlyMap<string, string> | undefined;

  constructor(private readonly compute: () => ReadonlyMap<string, string>) {}

  get(key: string): string | undefined {
    this.map ??= this.compute();
    return this.map.get(key);
  }
}

/**
 * Logical id → construct path of a stack artifact, from the `aws:cdk:logicalId`
 * entries of its metadata: inline in the manifest, and in the file aws-cdk-lib
 * writes them to (`additionalMetadataFile`). Entries for which
 * `skip(constructPath)` holds are left out (resources of nested stacks).
 */
export function artifactLogicalIdPaths(directory: string, artifact: JsonObject, skip?: (constructPath: string) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  addLogicalIdPaths(out, artifact.metadata, skip);
  if (typeof artifact.additionalMetadataFile === 'string') {
    const file = path.join(directory, artifact.additionalMetadataFile);
    if (fs.existsSync(file)) addLogicalIdPaths(out, readJson(file), skip);
  }
  return out;
}

function addLogicalIdPaths(out: Map<string, string>, metadata: unknown, skip?: (constructPath: string) => boolean): void {
  if (!isJsonObject(metadata)) return;
  for (const [constructPath, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (isJsonObject(entry) && entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
        const trimmed = constructPath.replace(/^\//, '');
        if (!skip?.(trimmed)) out.set(entry.data, trimmed);
      }
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

/** Reads and parses a JSON file, turning every failure into one clear line. */
export function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`${file}: cannot be read`, 'check that synthesis completed and the path is right');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: invalid JSON (${(error as Error).message})`, 'synthesize again; the file is truncated or corrupt');
  }
}

function asObject(value: unknown, where: string): { [key: string]: unknown } {
  if (!isJsonObject(value)) throw new InputError(`${where}: manifest is not a JSON object`, 'synthesize again');
  return value;
}


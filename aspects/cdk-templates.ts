/**
 * Reading what aws-cdk-lib hands a validation plugin into one resource graph,
 * with the same reader the CLI uses on a cdk.out (`lib/input`): every
 * written template and the nested stacks it deploys, each stack's environment,
 * and its resources' construct paths.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, IPolicyValidationContext, Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Resource, ResourceGraph, SourceLocator, StackInfo } from '../lib/core/graph';
import { JsonObject, isJsonObject } from '../lib/core/values';
import { AssetCache, linkImports, readCloudFormationStack } from '../lib/input/cloudformation-stacks';
import { readJson } from '../lib/input/json-file';
import { LazyLookup, artifactLogicalIdPaths, parseEnvironment } from '../lib/input/load';
import { CREATION_STACK_METADATA, firstAppFrame } from '../lib/input/source-locations';

/** Reads every written template (and nested-stack template) into one graph. */
export function readTemplates(context: IPolicyValidationContext, constructs: readonly IConstruct[]): { graph: ResourceGraph; templateOfStack: Map<string, string> } {
  const stacksByPath = new Map<string, Stack>();
  for (const construct of constructs) {
    if (Stack.isStack(construct)) stacksByPath.set(construct.node.path, construct);
  }
  const manifests = new Map<string, JsonObject | undefined>();
  const into: { stacks: StackInfo[]; resources: Resource[] } = { stacks: [], resources: [] };
  const assets: AssetCache = new Map();
  // The names the CLI gives them (`llm-guardrail check cdk.out`): the name a stack deploys under, or its construct path
  // when two stacks deploy under one name (the same stackName in two regions or stages).
  const entries = stackTemplatesOf(context, stacksByPath).map((entry) => {
    const stack = stacksByPath.get(entry.stackConstructPath);
    return { entry, stack, candidate: stack && !Token.isUnresolved(stack.stackName) ? stack.stackName : entry.stackConstructPath };
  });
  const named = new Map<string, number>();
  for (const { candidate } of entries) named.set(candidate, (named.get(candidate) ?? 0) + 1);
  for (const { entry, stack, candidate } of entries) {
    const name = named.get(candidate)! > 1 ? entry.stackConstructPath : candidate;
    const directory = path.dirname(entry.templatePath);
    const artifact = (): JsonObject | undefined => stackArtifact(directory, path.basename(entry.templatePath), manifests);
    readCloudFormationStack(
      {
        templatePath: entry.templatePath,
        stack: { name, ...parseEnvironment(`aws://${entry.accountId ?? 'unknown-account'}/${entry.region ?? 'unknown-region'}`), path: entry.stackConstructPath },
        constructPaths: constructPaths(stack, () => {
          const found = artifact();
          return found ? artifactLogicalIdPaths(directory, found) : undefined;
        }),
        nestedConstructPaths: (nestedPath) =>
          constructPaths(stacksByPath.get(nestedPath), () => {
            const found = artifact();
            return found ? artifactLogicalIdPaths(directory, found, nestedPath) : undefined;
          }),
      },
      into,
      assets,
    );
  }
  linkImports(into);
  const templateOfStack = new Map(into.stacks.map((stack) => [stack.name, stack.file]));
  return { graph: new ResourceGraph(into.stacks, into.resources, creationLocator(constructs)), templateOfStack };
}

/** The app line that created a resource's construct, from the creation trace aws-cdk-lib records unless stack traces are off. */
function creationLocator(constructs: readonly IConstruct[]): SourceLocator {
  let byPath: Map<string, IConstruct> | undefined;
  return (resource) => {
    if (resource.path === undefined) return undefined;
    byPath ??= new Map(constructs.map((construct) => [construct.node.path, construct]));
    const entry = byPath.get(resource.path)?.node.metadata.find((candidate) => candidate.type === CREATION_STACK_METADATA);
    return entry ? firstAppFrame(entry.data) : undefined;
  };
}

/** One written template, as aws-cdk-lib describes it to plugins (`IPolicyValidationContext.stackTemplates`). */
interface StackTemplate {
  readonly templatePath: string;
  readonly stackConstructPath: string;
  readonly accountId?: string;
  readonly region?: string;
}

/**
 * The written templates with their stacks and environments. Releases before
 * `stackTemplates` (2.71 to 2.26x) hand plugins the template paths only: the
 * stack of each is the one whose template file it is, and its environment is
 * the stack's own (undefined when environment-agnostic).
 */
function stackTemplatesOf(context: IPolicyValidationContext, stacksByPath: ReadonlyMap<string, Stack>): readonly StackTemplate[] {
  const given = (context as { stackTemplates?: readonly StackTemplate[] }).stackTemplates;
  if (given) return given;
  const stacks = [...stacksByPath.values()];
  return context.templatePaths.flatMap((templatePath) => {
    const stack = stacks.find((candidate) => !candidate.nested && path.resolve(Stage.of(candidate)?.outdir ?? '', candidate.templateFile) === path.resolve(templatePath));
    if (!stack) return [];
    const literal = (value: string): string | undefined => (Token.isUnresolved(value) ? undefined : value);
    return [{ templatePath, stackConstructPath: stack.node.path, accountId: literal(stack.account), region: literal(stack.region) }];
  });
}

/**
 * Logical id → construct path for a stack's own resources, for templates
 * written without path metadata (an app run without the CLI). Read on first
 * lookup only (with path metadata the engine never asks): from the
 * `aws:cdk:logicalId` entries the cloud assembly keeps for the stack, else by
 * resolving the logical id of every CloudFormation element of the stack.
 */
function constructPaths(stack: Stack | undefined, recorded: () => Map<string, string> | undefined): LazyLookup | undefined {
  if (!stack) return undefined;
  return new LazyLookup(() => {
    const fromAssembly = recorded();
    if (fromAssembly && fromAssembly.size > 0) return fromAssembly;
    const resolved = new Map<string, string>();
    for (const construct of stack.node.findAll()) {
      if (!CfnElement.isCfnElement(construct) || construct.stack !== stack) continue;
      const logicalId = stack.resolve(construct.logicalId);
      if (typeof logicalId === 'string') resolved.set(logicalId, construct.node.path);
    }
    return resolved;
  });
}

/** The manifest entry of the stack artifact whose template is `templateFile`, from the assembly in `directory`. */
function stackArtifact(directory: string, templateFile: string, manifests: Map<string, JsonObject | undefined>): JsonObject | undefined {
  if (!manifests.has(directory)) {
    const file = path.join(directory, 'manifest.json');
    const manifest = fs.existsSync(file) ? readJson(file) : undefined;
    manifests.set(directory, isJsonObject(manifest) ? manifest : undefined);
  }
  const artifacts = manifests.get(directory)?.artifacts;
  if (!isJsonObject(artifacts)) return undefined;
  return Object.values(artifacts).find(
    (artifact): artifact is JsonObject => isJsonObject(artifact) && artifact.type === 'aws:cloudformation:stack' && isJsonObject(artifact.properties) && artifact.properties.templateFile === templateFile,
  );
}

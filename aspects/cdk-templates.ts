/**
 * Reading what aws-cdk-lib hands a validation plugin into one resource graph:
 * every written template and nested-stack template, with each stack's
 * environment and its resources' construct paths.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, IPolicyValidationContext, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ResourceGraph, Resource, StackInfo } from '../lib/core/graph';
import { JsonObject, isJsonObject } from '../lib/core/values';
import { resourcesFromTemplate } from '../lib/input/cloudformation';
import { LazyLookup, artifactLogicalIdPaths, parseEnvironment, readJson } from '../lib/input/load';

/** Reads every written template (and nested-stack template) into one graph. */
export function readTemplates(context: IPolicyValidationContext, constructs: readonly IConstruct[]): { graph: ResourceGraph; templateOfStack: Map<string, string> } {
  const stacksByPath = new Map<string, Stack>();
  for (const construct of constructs) {
    if (Stack.isStack(construct)) stacksByPath.set(construct.node.path, construct);
  }
  const nestedPaths = [...stacksByPath.values()].filter((stack) => stack.nested).map((stack) => `${stack.node.path}/`);
  const manifests = new Map<string, JsonObject | undefined>();
  const stacks: StackInfo[] = [];
  const resources: Resource[] = [];
  const templateOfStack = new Map<string, string>();
  const add = (stack: Stack | undefined, templatePath: string, environment: Pick<StackInfo, 'account' | 'region'>, constructPath: string): void => {
    const info: StackInfo = {
      name: uniqueName(stack, constructPath),
      format: 'cloudformation',
      file: templatePath,
      ...environment,
      path: constructPath,
    };
    stacks.push(info);
    templateOfStack.set(info.name, templatePath);
    resources.push(...resourcesFromTemplate(readJson(templatePath), info, constructPaths(stack, templatePath, manifests, nestedPaths)));
  };
  // The same names the CLI gives them (`llm-guardrail check cdk.out`), unless two stacks share one.
  const usedNames = new Set<string>();
  const uniqueName = (stack: Stack | undefined, constructPath: string): string => {
    const candidate = stack && !stack.nested && !Token.isUnresolved(stack.stackName) ? stack.stackName : constructPath;
    const name = usedNames.has(candidate) ? constructPath : candidate;
    usedNames.add(name);
    return name;
  };
  for (const entry of context.stackTemplates) {
    const stack = stacksByPath.get(entry.stackConstructPath);
    const environment = parseEnvironment(`aws://${entry.accountId ?? 'unknown-account'}/${entry.region ?? 'unknown-region'}`);
    add(stack, entry.templatePath, environment, entry.stackConstructPath);
    // Nested stacks are deployed with their parent's environment; their templates sit next to the parent's.
    for (const nested of stacksByPath.values()) {
      if (!nested.nested || rootStackOf(nested) !== stack) continue;
      add(nested, path.join(path.dirname(entry.templatePath), nested.templateFile), environment, nested.node.path);
    }
  }
  return { graph: new ResourceGraph(stacks, resources), templateOfStack };
}

function rootStackOf(stack: Stack): Stack {
  let current = stack;
  while (current.nestedStackParent) current = current.nestedStackParent;
  return current;
}

/**
 * Logical id → construct path for a stack's own resources, for templates
 * written without path metadata (an app run without the CLI). Read on first
 * lookup only (with path metadata the engine never asks): from the
 * `aws:cdk:logicalId` entries the cloud assembly keeps for the stack, else by
 * resolving the logical id of every CloudFormation element of the stack.
 */
function constructPaths(stack: Stack | undefined, templatePath: string, manifests: Map<string, JsonObject | undefined>, nestedPaths: readonly string[]): LazyLookup | undefined {
  if (!stack) return undefined;
  return new LazyLookup(() => {
    if (!stack.nested) {
      const directory = path.dirname(templatePath);
      const artifact = stackArtifact(directory, path.basename(templatePath), manifests);
      const recorded = artifact ? artifactLogicalIdPaths(directory, artifact, (constructPath) => nestedPaths.some((nested) => constructPath.startsWith(nested))) : undefined;
      if (recorded && recorded.size > 0) return recorded;
    }
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


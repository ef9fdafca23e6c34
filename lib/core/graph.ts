import { Reference, Unresolved, Value, forEachReferencedKey } from './values';

/** The clouds the engine knows; `other` covers anything else in a document (random ids, null resources, …). */
export type Cloud = 'aws' | 'azure' | 'google' | 'other';

/** The kind of document a stack was read from. */
/** `declarations`: a provider declarations file (no deployable resources). */
export type DocumentFormat = 'cloudformation' | 'terraform' | 'declarations';

/** One deployable unit: a CloudFormation stack or a Terraform configuration. */
export interface StackInfo {
  /** Stack name (CDK artifact id, CDKTF stack name, or the file name). */
  readonly name: string;
  readonly format: DocumentFormat;
  /** Document the stack was read from, relative to the input when possible. */
  readonly file: string;
  /** CloudFormation: the target region; `Unresolved` for an environment-agnostic stack. */
  readonly region?: string | Unresolved;
  /** CloudFormation: the target account; `Unresolved` for an environment-agnostic stack. */
  readonly account?: string | Unresolved;
  /** Construct path of the stack, when the document has it. */
  readonly path?: string;
}

/** One resource of a synthesized document, with references resolved. */
export interface Resource {
  /** Unique key in the graph: `<stack>/<id>`. */
  readonly key: string;
  /** CloudFormation logical id or Terraform address (`type.name`). */
  readonly id: string;
  /** CloudFormation type (`AWS::Logs::LogGroup`) or Terraform type (`azurerm_cognitive_account`). */
  readonly type: string;
  readonly cloud: Cloud;
  readonly stack: StackInfo;
  /** Construct path, when the document has it. */
  readonly path?: string;
  /** Properties (CloudFormation) or arguments (Terraform), resolved. */
  readonly properties: { readonly [key: string]: Value };
  /** Terraform: the resolved provider configuration the resource uses. */
  readonly providerConfig?: { readonly [key: string]: Value };
  /** CloudFormation: the resource's `Metadata` section. */
  readonly metadata?: { readonly [key: string]: Value };
  /** The line of the app that created the resource, when the document records it (CDKTF `stackTrace` metadata). */
  readonly source?: SourceLocation;
  /** Why what this resource deploys could not be read (a nested stack whose template the input does not hold). */
  readonly unread?: string;
  /** Terraform: why whether the resource exists is unknown (a `count` or `for_each` known only at plan time). */
  readonly existence?: Unresolved;
  /** Terraform directories: the variables whose values the resource's arguments were computed from, and where each came from. */
  readonly variables?: readonly VariableUse[];
}

/** A variable a resource's arguments use: `var.location = "eastus"` from `default at variables.tf:3`. */
export interface VariableUse {
  readonly name: string;
  /** The value as written (JSON). */
  readonly value: string;
  readonly from: string;
}

/** A line of the app's source code: where a construct was created. */
export interface SourceLocation {
  /** Absolute path of the source file. */
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

/** A line of a .tf file declares a resource; a line of app code creates one. */
export function isTerraformSource(file: string): boolean {
  return /\.tf(\.json)?$/.test(file);
}

/** The source line that created a resource, looked up when a finding needs it (reading creation traces costs time). */
export type SourceLocator = (resource: Resource) => SourceLocation | undefined;

/**
 * All resources of all stacks of an input, indexed for linear-time rules:
 * by key, by type, and by "who references me".
 */
export class ResourceGraph {
  readonly resources: readonly Resource[];
  readonly stacks: readonly StackInfo[];
  private readonly byKey = new Map<string, Resource>();
  private readonly byType = new Map<string, Resource[]>();
  private referrerIndex: Map<string, Resource[]> | undefined;

  /** This graph with more stacks and resources (a provider declarations file), source lookups kept. */
  with(stacks: readonly StackInfo[], resources: readonly Resource[]): ResourceGraph {
    return new ResourceGraph([...this.stacks, ...stacks], [...this.resources, ...resources], this.locateSource);
  }

  constructor(
    stacks: readonly StackInfo[],
    resources: readonly Resource[],
    private readonly locateSource?: SourceLocator,
  ) {
    this.stacks = stacks;
    this.resources = resources;
    for (const resource of resources) {
      this.byKey.set(resource.key, resource);
      let list = this.byType.get(resource.type);
      if (!list) this.byType.set(resource.type, (list = []));
      list.push(resource);
    }
  }

  get(key: string): Resource | undefined {
    return this.byKey.get(key);
  }

  /** Resources of any of the given types, in document order per type. */
  ofType(...types: string[]): Resource[] {
    if (types.length === 1) return this.byType.get(types[0]) ?? [];
    return types.flatMap((type) => this.byType.get(type) ?? []);
  }

  /** The resource a reference points at, if it is in the graph. */
  target(value: Value | undefined): Resource | undefined {
    return value instanceof Reference ? this.byKey.get(value.target) : undefined;
  }

  /** The line of the app that created a resource, when the input records creation traces. */
  sourceOf(resource: Resource): SourceLocation | undefined {
    return resource.source ?? this.locateSource?.(resource);
  }

  /** Resources whose properties mention `key` (through a reference or an unresolved expression). */
  referrers(key: string): readonly Resource[] {
    if (!this.referrerIndex) {
      const index = new Map<string, Resource[]>();
      let resource: Resource;
      // A resource is listed once per key it mentions: its lists end with it while its properties are walked.
      const add = (target: string): void => {
        const list = index.get(target);
        if (!list) index.set(target, [resource]);
        else if (list[list.length - 1] !== resource) list.push(resource);
      };
      for (resource of this.resources) forEachReferencedKey(resource.properties, add);
      this.referrerIndex = index;
    }
    return this.referrerIndex.get(key) ?? [];
  }
}

/** The cloud a Terraform resource type belongs to, from its provider prefix. */
export function cloudOfTerraformType(type: string): Cloud {
  if (type.startsWith('aws_')) return 'aws';
  if (type.startsWith('azurerm_') || type.startsWith('azapi_') || type.startsWith('azuread_')) return 'azure';
  if (type.startsWith('google_')) return 'google';
  return 'other';
}

/** The cloud a CloudFormation resource type belongs to. */
export function cloudOfCloudFormationType(type: string): Cloud {
  return type.startsWith('AWS::') || type.startsWith('Custom::') ? 'aws' : 'other';
}

/** Small lookups the data-flow discovery shares: following a value to the resource it names. */
import type { Resource, ResourceGraph } from '../core/graph';
import { Reference, Unresolved, Value } from '../core/values';

/** Properties that hold a resource's own name, by which other documents may name it. */
const NAME_PROPERTIES = ['LogGroupName', 'BucketName', 'RoleName', 'UserName', 'GroupName', 'DeliveryStreamName', 'name', 'bucket'];

/**
 * The resource of one of `types` a value points at: through a reference, an
 * unresolved expression that mentions exactly such a resource, or a literal
 * name or ARN matching a resource's own name. `types` empty means any type.
 */
export function resolveResource(graph: ResourceGraph, value: Value | undefined, types: readonly string[] = []): Resource | undefined {
  const accepts = (resource: Resource | undefined): resource is Resource => !!resource && (types.length === 0 || types.includes(resource.type));
  if (value instanceof Reference) {
    const target = graph.get(value.target);
    return accepts(target) ? target : undefined;
  }
  if (value instanceof Unresolved) {
    const candidates = [...new Set(value.references)].map((key) => graph.get(key)).filter(accepts);
    return candidates.length === 1 ? candidates[0] : undefined;
  }
  if (typeof value === 'string' && types.length > 0) {
    const name = nameInArn(value);
    return graph.ofType(...types).find((resource) => NAME_PROPERTIES.some((property) => resource.properties[property] === name));
  }
  return undefined;
}

/** `arn:aws:logs:r:a:log-group:NAME:*` → `NAME`; `arn:aws:s3:::NAME` → `NAME`; `arn:…:deliverystream/NAME` → `NAME`; a plain name stays. */
function nameInArn(value: string): string {
  const logGroup = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)/.exec(value);
  if (logGroup) return logGroup[1];
  const bucket = /^arn:[^:]+:s3:::([^/]+)/.exec(value);
  if (bucket) return bucket[1];
  const slash = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:[a-z-]+\/(.+)$/.exec(value);
  return slash ? slash[1] : value;
}

/** A value that may be one item or a list of them, as a list. */
export function asList(value: Value | undefined): Value[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Text of a value for pattern matching: literal strings and unresolved expressions. */
export function textOf(value: Value | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Unresolved || value instanceof Reference) return value.expression;
  return undefined;
}

/** `InvokerRole (AWS::IAM::Role)`; a Terraform address already names its type: `azurerm_user_assigned_identity.app`. */
export function resourceLabel(resource: Resource): string {
  return resource.id.startsWith(`${resource.type}.`) ? resource.id : `${resource.id} (${resource.type})`;
}

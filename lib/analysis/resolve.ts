/** Following a value to the resource of the graph it names: one way for every rule and the documentation. */
import type { Resource } from '../core/graph';
import { Reference, Unresolved, Value } from '../core/values';
import { nameInArn } from './arn';
import type { AnalysisContext } from './context';

/** Properties that hold a resource's own name, by which other resources may name it. */
const NAME_PROPERTIES = ['LogGroupName', 'BucketName', 'RoleName', 'UserName', 'GroupName', 'DeliveryStreamName', 'name', 'bucket'];

/**
 * The resource of one of `types` a value points at: through a reference, an
 * unresolved expression that mentions exactly one such resource
 * (`"${aws_cloudwatch_log_group.trail.arn}:*"`), or a literal name or ARN
 * matching a resource's own name. `types` empty means any type (literal names
 * are then not followed).
 */
export function resolveResource(context: AnalysisContext, value: Value | undefined, types: readonly string[] = []): Resource | undefined {
  const { graph } = context;
  const accepts = (resource: Resource | undefined): resource is Resource => !!resource && (types.length === 0 || types.includes(resource.type));
  if (value instanceof Reference) {
    const target = graph.get(value.target);
    return accepts(target) ? target : undefined;
  }
  if (value instanceof Unresolved) {
    if (!builtAroundOneResource(value)) return undefined;
    const candidates = [...new Set(value.references)].map((key) => graph.get(key)).filter(accepts);
    return candidates.length === 1 ? candidates[0] : undefined;
  }
  if (typeof value === 'string' && types.length > 0) {
    const name = nameInArn(value);
    const index = nameIndex(context);
    for (const type of types) {
      const found = index.get(`${type}\u0000${name}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** Every resource by `<type> NUL <own name>`; the first of a name wins, as in document order. */
function nameIndex(context: AnalysisContext): Map<string, Resource> {
  return context.memo('resolve.name-index', () => {
    const index = new Map<string, Resource>();
    for (const resource of context.graph.resources) {
      for (const property of NAME_PROPERTIES) {
        const name = resource.properties[property];
        if (typeof name !== 'string') continue;
        const key = `${resource.type}\u0000${name}`;
        if (!index.has(key)) index.set(key, resource);
      }
    }
    return index;
  });
}

/**
 * Whether an expression can only denote the resource it mentions: text and
 * functions around one attribute (`"${aws_cloudwatch_log_group.trail.arn}:*"`,
 * `Fn::Join` around `Fn::GetAtt`), but not a choice that may name something
 * else (a conditional, `Fn::If`) or a value from outside the configuration
 * (a variable, a local, a data source, a module output).
 */
function builtAroundOneResource(value: Unresolved): boolean {
  return !/Fn::If|\?|\b(?:var|local|data|module|each|count|self)\./.test(value.expression);
}

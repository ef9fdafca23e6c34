/** Terraform's aws_s3_bucket companions: lifecycle, encryption, versioning and lock live in resources that name the bucket. */
import type { Resource } from '../core/graph';
import { Unresolved } from '../core/values';
import type { AnalysisContext } from './context';
import { TF_AWS } from './resource-types';

/** The resources of `type` that configure a bucket: by reference, by an expression around one, or by the bucket's literal name. */
export function bucketCompanions(context: AnalysisContext, bucket: Resource, type: string): readonly Resource[] {
  return companionIndex(context, type).get(bucket.key) ?? [];
}

/** Companions of one type by bucket key, built in one pass over them (a lookup per bucket would be quadratic). */
function companionIndex(context: AnalysisContext, type: string): ReadonlyMap<string, Resource[]> {
  return context.memo(`s3.companions:${type}`, () => {
    const { graph } = context;
    const byName = new Map<string, string>();
    for (const bucket of graph.ofType(TF_AWS.bucket)) {
      const name = bucket.properties.bucket;
      if (typeof name === 'string' && !byName.has(name)) byName.set(name, bucket.key);
    }
    const index = new Map<string, Resource[]>();
    const add = (bucketKey: string | undefined, companion: Resource): void => {
      if (!bucketKey) return;
      let list = index.get(bucketKey);
      if (!list) index.set(bucketKey, (list = []));
      if (!list.includes(companion)) list.push(companion);
    };
    for (const companion of graph.ofType(type)) {
      const named = companion.properties.bucket;
      const target = graph.target(named);
      if (target) add(target.key, companion);
      else if (named instanceof Unresolved) for (const key of named.references) add(graph.get(key)?.type === TF_AWS.bucket ? key : undefined, companion);
      else if (typeof named === 'string') add(byName.get(named), companion);
    }
    return index;
  });
}

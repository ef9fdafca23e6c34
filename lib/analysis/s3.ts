/** Terraform's aws_s3_bucket companions: lifecycle, encryption, versioning and lock live in resources that name the bucket. */
import type { Resource } from '../core/graph';
import { Unresolved } from '../core/values';
import type { AnalysisContext } from './context';

/** The resources of `type` that configure a bucket: by reference, by an expression around one, or by the bucket's literal name. */
export function bucketCompanions(context: AnalysisContext, bucket: Resource, type: string): Resource[] {
  const name = bucket.properties.bucket;
  return context.graph.ofType(type).filter((other) => {
    const named = other.properties.bucket;
    if (context.graph.target(named)?.key === bucket.key) return true;
    if (named instanceof Unresolved) return named.references.includes(bucket.key);
    return typeof name === 'string' && named === name;
  });
}

/** Tags (AWS, Azure) and labels (Google) as the documents carry them. */
import type { Resource } from '../core/graph';
import { Value, isPlainObject } from '../core/values';

/** A tag (CloudFormation `Tags` list, Terraform `tags` map) or label (Google `labels`) value. */
export function tagValue(resource: Resource, key: string): Value | undefined {
  const { properties } = resource;
  const tags = properties.Tags ?? properties.tags ?? properties.labels;
  if (Array.isArray(tags)) {
    for (const tag of tags) if (isPlainObject(tag) && tag.Key === key) return tag.Value;
    return undefined;
  }
  if (isPlainObject(tags)) return tags[key];
  return undefined;
}

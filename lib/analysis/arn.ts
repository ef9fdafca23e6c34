/**
 * Amazon Resource Names as documents write them: literal, with `${…}`
 * placeholders (CloudFormation `Fn::Sub`, Terraform interpolation) or with
 * IAM wildcards. One parser for every rule, the data-flow documentation and
 * the constructs.
 */

/** An ARN split into its parts; parts known only at deploy time read `${…}`. */
export interface Arn {
  readonly text: string;
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** `foundation-model`, `log-group`, `inference-profile`, … (may contain wildcards); for S3, the bucket name. */
  readonly resourceType: string;
  /** What follows the resource type's `/` or `:` (model id, log group name, …); empty when there is none. */
  readonly resourceId: string;
}

/**
 * Parses `arn:<partition>:<service>:<region>:<account>:<resource>`, where the
 * resource is `<type>/<id>`, `<type>:<id>` or a plain name. Undefined when the
 * text is no ARN. Colons inside `${…}` (which may hold `AWS::Region`) do not split.
 */
export function parseArn(text: string): Arn | undefined {
  if (!text.startsWith('arn:')) return undefined;
  const parts = splitOutsidePlaceholders(text, ':', 5);
  if (parts.length < 6) return undefined;
  const [, partition, service, region, account, rest] = parts;
  const slash = rest.indexOf('/');
  const colon = rest.indexOf(':');
  // `log-group:NAME:*` separates with a colon, `foundation-model/ID` with a slash.
  const cut = slash === -1 ? colon : colon === -1 ? slash : Math.min(slash, colon);
  return {
    text,
    partition,
    service,
    region,
    account,
    resourceType: cut === -1 ? rest : rest.slice(0, cut),
    resourceId: cut === -1 ? '' : rest.slice(cut + 1),
  };
}

/** Splits at `separator` at most `limit` times, never inside a `${…}` placeholder. */
function splitOutsidePlaceholders(text: string, separator: string, limit: number): string[] {
  const parts: string[] = [];
  let start = 0;
  let from = 0;
  // Most texts hold no placeholder: the separators are found with indexOf, and only a placeholder is walked.
  let open = text.indexOf('${');
  while (parts.length < limit) {
    const at = text.indexOf(separator, from);
    if (at === -1) break;
    if (open !== -1 && open < at) {
      from = placeholderEnd(text, open);
      if (from === -1) break;
      open = text.indexOf('${', from);
      continue;
    }
    parts.push(text.slice(start, at));
    start = at + 1;
    from = start;
  }
  parts.push(text.slice(start));
  return parts;
}

/** Where the placeholder opened at `open` ends (after its `}`; placeholders nest), or -1 when it is never closed. */
function placeholderEnd(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    if (text.startsWith('${', index)) depth++;
    else if (text.charCodeAt(index) === 125 && --depth === 0) return index + 1;
  }
  return -1;
}

/** Whether a text holds an IAM wildcard (`*` or `?`). */
export function hasWildcard(text: string): boolean {
  return /[*?]/.test(text);
}

/**
 * The name of the resource an ARN (or a plain name) denotes, as the resource's
 * own name property holds it: `arn:aws:logs:r:a:log-group:NAME:*` → `NAME`,
 * `arn:aws:s3:::NAME` → `NAME`, `arn:aws:firehose:r:a:deliverystream/NAME` → `NAME`,
 * `arn:aws:iam::a:role/path/NAME` → `NAME`. Text that is no ARN is returned as it is.
 */
export function nameInArn(text: string): string {
  const arn = parseArn(text);
  if (!arn) return text;
  if (arn.service === 's3') return arn.resourceType.split('/')[0];
  if (arn.service === 'logs' && arn.resourceType === 'log-group') return arn.resourceId.replace(/:\*$/, '').split(':')[0];
  if (arn.service === 'iam') return arn.resourceId.split('/').pop() ?? arn.resourceId;
  return arn.resourceId || arn.resourceType;
}

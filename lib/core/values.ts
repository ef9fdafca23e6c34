/**
 * Values in the resource graph after reference resolution.
 *
 * A property is either plain JSON, a {@link Reference} to another resource in the
 * graph, or an {@link Unresolved} marker for anything the engine cannot know at
 * synthesis time (a deploy-time parameter, a data source, a string built from
 * an attribute that only exists after deployment). Rules must treat
 * `Unresolved` as "cannot verify" and fail closed.
 */

/** A pointer to another resource of the same graph, e.g. `Fn::GetAtt [Key, Arn]` or `${azurerm_x.y.id}`. */
export class Reference {
  constructor(
    /** Graph key of the target resource (`<stack>/<id>`). */
    public readonly target: string,
    /** Attribute that was referenced (`Arn`, `id`, …); `undefined` for a plain `Ref`. */
    public readonly attribute: string | undefined,
    /** The expression as written in the document, for messages. */
    public readonly expression: string,
  ) {}

  toString(): string {
    return this.expression;
  }

  toJSON(): string {
    return this.expression;
  }
}

/** A value the engine cannot determine from the documents. */
export class Unresolved {
  constructor(
    /** The expression as written in the document, for messages. */
    public readonly expression: string,
    /** Why it cannot be resolved. */
    public readonly reason: string,
    /** Graph keys of resources the expression mentions. */
    public readonly references: readonly string[] = [],
  ) {}

  toString(): string {
    return this.expression;
  }

  toJSON(): string {
    return this.expression;
  }
}

export type Value = null | boolean | number | string | Reference | Unresolved | Value[] | { [key: string]: Value };

export function isUnresolved(value: unknown): value is Unresolved {
  return value instanceof Unresolved;
}

export function isPlainObject(value: unknown): value is { [key: string]: Value } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Reference) && !(value instanceof Unresolved);
}

/** A JSON object as parsed from a document, before resolution. */
export type JsonObject = { [key: string]: unknown };

/** A JSON object as parsed from a document (before resolution): not null, not an array. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Human-readable rendering of any value for a finding message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (value instanceof Reference || value instanceof Unresolved) return value.expression;
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value, (_key, inner) => (inner instanceof Reference || inner instanceof Unresolved ? inner.expression : inner));
}

/** Every graph key a value mentions, through references and unresolved expressions, at any depth. */
export function referencedKeys(value: unknown, into: Set<string> = new Set()): Set<string> {
  forEachReferencedKey(value, (key) => into.add(key));
  return into;
}

/**
 * Calls `visit` with every graph key a value mentions, in document order (a
 * key mentioned twice is visited twice). Allocates nothing of its own: the
 * graph indexes every resource's properties with it.
 */
export function forEachReferencedKey(value: unknown, visit: (key: string) => void): void {
  if (typeof value !== 'object' || value === null) return;
  if (value instanceof Reference) {
    visit(value.target);
  } else if (value instanceof Unresolved) {
    for (const key of value.references) visit(key);
  } else if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) forEachReferencedKey(value[index], visit);
  } else {
    for (const key in value) forEachReferencedKey((value as { [key: string]: unknown })[key], visit);
  }
}

/**
 * Whether `key` is an own property of `object`: a key taken from the input
 * (`constructor`, `toString`, `valueOf`) must not find what every object
 * inherits.
 */
export function hasOwn(object: object, key: string | number): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** `table[key]`, created with `create()` when the table has no own entry for it (see {@link hasOwn}, {@link setOwn}). */
export function ownEntry<T>(table: { [key: string]: T }, key: string, create: () => T): T {
  if (hasOwn(table, key)) return table[key];
  const value = create();
  setOwn(table, key, value);
  return value;
}

/**
 * Sets `target[key]` as an own property. A key taken from a value (an IAM
 * condition's test, a principal's type, an HCL object key computed by an
 * expression) may be `__proto__`, which an assignment would take as the
 * object's prototype instead of a key.
 */
export function setOwn<T>(target: { [key: string]: T }, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** A value that may be one item or a list of them, as a list (`undefined` and `null` give none). */
export function asList(value: Value | undefined): Value[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Text of a value for pattern matching: literal strings and the expressions of references and unresolved values. */
export function textOf(value: Value | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Unresolved || value instanceof Reference) return value.expression;
  return undefined;
}

/** A single nested block: Terraform JSON writes blocks as objects or one-element lists. */
export function block(value: Value | undefined): { [key: string]: Value } | undefined {
  if (Array.isArray(value)) return isPlainObject(value[0]) ? value[0] : undefined;
  return isPlainObject(value) ? value : undefined;
}

/**
 * The value at a dotted path (`a.b.c`), walking one-element block lists as
 * Terraform JSON writes them. A block on the way that is known only at
 * deploy or plan time makes the whole value unknown: that unresolved value is
 * returned, never `undefined` (which would read as "not set").
 */
export function valueAt(properties: { readonly [key: string]: Value }, path: string): Value | undefined {
  let current: Value | undefined = properties as { [key: string]: Value };
  for (const step of path.split('.')) {
    if (Array.isArray(current)) current = current.length > 0 ? current[0] : undefined;
    if (current instanceof Unresolved) return current;
    if (!isPlainObject(current)) return undefined;
    current = current[step];
  }
  return current;
}

/** Whether a document value is boolean true (custom-resource properties and Terraform variables may carry "true"). */
export function isTrue(value: Value | undefined): boolean {
  return value === true || value === 'true';
}

/** Whether a value is set at all: not missing, null or the empty string. */
export function isPresent(value: Value | undefined): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * A document value read as a switch: `true`/`"true"` and `false`/`"false"`
 * (Terraform and custom resources may carry strings), `undefined` when not
 * set, and `unknown` for anything else (a deploy-time value, a typo).
 */
export function switchValue(value: Value | undefined): boolean | undefined | 'unknown' {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  if (value === undefined || value === null) return undefined;
  return 'unknown';
}

/**
 * Visits every key of the objects inside some values, with the path to it
 * (`template[0].containers[1].env`), without recursion. The visitor returns
 * true when it has read the child itself, so that the walk does not go into
 * it. Keys are visited last-first (a stack): callers that collect in document
 * order reverse what they collected.
 */
export function walkKeys(roots: readonly (readonly [Value, string])[], visit: (key: string, child: Value, path: string) => boolean): void {
  const pending: [Value, string][] = roots.map(([value, path]) => [value, path]);
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push([item, `${path}[${index}]`]));
      continue;
    }
    if (!isPlainObject(value)) continue;
    for (const [key, child] of Object.entries(value)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (!visit(key, child, at)) pending.push([child, at]);
    }
  }
}

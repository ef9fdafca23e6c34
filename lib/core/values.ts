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

export function isReference(value: unknown): value is Reference {
  return value instanceof Reference;
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
  if (value instanceof Reference) {
    into.add(value.target);
  } else if (value instanceof Unresolved) {
    for (const key of value.references) into.add(key);
  } else if (Array.isArray(value)) {
    for (const item of value) referencedKeys(item, into);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) referencedKeys(item, into);
  }
  return into;
}

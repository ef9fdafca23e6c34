/**
 * The part of Terraform's expression language a configuration's existence
 * and placement decisions are written in — literals, variables, locals,
 * `count.index` / `each.*`, conditionals, comparisons, and the collection
 * and string functions such decisions use (`length`, `toset`, `lookup`, …) —
 * evaluated with what is known before `terraform plan`. Anything else
 * (resource attributes, data sources, functions outside the list, `for`
 * expressions) is not evaluable: the caller keeps the expression, and the
 * readers downstream report it as known only at plan time. Never a guess.
 */
import { splitTemplate } from './terraform';
import { hasOwn, setOwn } from '../core/values';

export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };

/** Thrown when an expression needs a value known only at plan or apply time. */
export class NotEvaluable extends Error {}

/** Looks up `root.step.step…` (`var.location`, `count.index`, `each.value.name`); undefined when not known. */
export type Lookup = (root: string, steps: readonly string[]) => HclValue | undefined;

/** Evaluates one expression (the text inside `${…}`); throws NotEvaluable. */
export function evaluateExpression(expression: string, lookup: Lookup): HclValue {
  const parser = new Parser(tokenize(expression), lookup);
  const value = parser.expression();
  parser.expectEnd();
  return value;
}

/** Evaluates a template string (`acme-${var.location}`); throws NotEvaluable. */
export function evaluateTemplate(text: string, lookup: Lookup): HclValue {
  const pieces = splitTemplate(text);
  if (pieces.length === 1 && typeof pieces[0] !== 'string') return evaluateExpression(pieces[0].expression, lookup);
  return pieces.map((piece) => (typeof piece === 'string' ? piece : stringOf(evaluateExpression(piece.expression, lookup)))).join('');
}

/** A value written back as expression text: JSON is valid HCL expression syntax. */
export function literalText(value: HclValue): string {
  return JSON.stringify(value);
}

type Token = { kind: 'number'; value: number } | { kind: 'string'; value: string } | { kind: 'name'; value: string } | { kind: 'punct'; value: string };

const PUNCTUATION = ['==', '!=', '<=', '>=', '&&', '||', '=>', '...', '(', ')', '[', ']', '{', '}', ',', '.', '?', ':', '=', '<', '>', '!', '-', '+', '*', '/', '%'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    if (/\d/.test(char)) {
      const match = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(index))!;
      tokens.push({ kind: 'number', value: Number(match[0]) });
      index += match[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][\w-]*/.exec(text.slice(index))!;
      tokens.push({ kind: 'name', value: match[0] });
      index += match[0].length;
      continue;
    }
    if (char === '"') {
      // A quoted string; a template inside it is kept as text and evaluated as one.
      let cursor = index + 1;
      let raw = '';
      let depth = 0;
      while (cursor < text.length && (text[cursor] !== '"' || depth > 0)) {
        if (text[cursor] === '\\' && depth === 0) {
          const next = text[cursor + 1];
          raw += next === 'n' ? '\n' : next === 't' ? '\t' : next === '"' ? '"' : next === '\\' ? '\\' : `\\${next}`;
          cursor += 2;
          continue;
        }
        if (text.startsWith('${', cursor)) depth++;
        else if (text[cursor] === '}' && depth > 0) depth--;
        raw += text[cursor++];
      }
      if (cursor >= text.length) throw new NotEvaluable('unterminated string');
      tokens.push({ kind: 'string', value: raw });
      index = cursor + 1;
      continue;
    }
    const punct = PUNCTUATION.find((candidate) => text.startsWith(candidate, index));
    if (!punct) throw new NotEvaluable(`unexpected "${char}"`);
    tokens.push({ kind: 'punct', value: punct });
    index += punct.length;
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly lookup: Lookup,
  ) {}

  expectEnd(): void {
    if (this.position !== this.tokens.length) throw new NotEvaluable('unexpected trailing input');
  }

  /** Inside the branch a conditional does not take: parsed, never evaluated (it may need values known only at plan). */
  private skipping = 0;

  expression(): HclValue {
    const condition = this.binary(0);
    if (!this.accept('?')) return condition;
    // Terraform converts "true" and "false" to bool where a bool is expected.
    const truth = condition === 'true' ? true : condition === 'false' ? false : condition;
    if (typeof truth !== 'boolean' && this.skipping === 0) throw new NotEvaluable('condition is not a bool');
    const whenTrue = truth === true ? this.expression() : this.skip();
    this.expect(':');
    const whenFalse = truth === true ? this.skip() : this.expression();
    return truth === true ? whenTrue : whenFalse;
  }

  private skip(): HclValue {
    this.skipping++;
    try {
      this.expression();
      return null;
    } finally {
      this.skipping--;
    }
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

  private binary(level: number): HclValue {
    if (level >= Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const operator = Parser.LEVELS[level].find((candidate) => this.peekPunct(candidate));
      if (!operator) return left;
      this.position++;
      const right = this.binary(level + 1);
      left = this.skipping > 0 ? null : applyOperator(operator, left, right);
    }
  }

  private unary(): HclValue {
    if (this.skipping > 0 && (this.peekPunct('!') || this.peekPunct('-'))) {
      this.position++;
      this.unary();
      return null;
    }
    if (this.accept('!')) {
      const value = this.unary();
      if (typeof value !== 'boolean') throw new NotEvaluable('! of a non-bool');
      return !value;
    }
    if (this.accept('-')) {
      const value = this.unary();
      if (typeof value !== 'number') throw new NotEvaluable('- of a non-number');
      return -value;
    }
    return this.postfix();
  }

  private postfix(): HclValue {
    const token = this.tokens[this.position];
    if (token?.kind === 'name' && !['true', 'false', 'null'].includes(token.value)) {
      this.position++;
      if (this.accept('(')) return this.call(token.value);
      if (token.value === 'for') throw new NotEvaluable('for expression');
      // A traversal: root and steps, looked up as a whole.
      const steps: string[] = [];
      for (;;) {
        if (this.peekPunct('.') && this.tokens[this.position + 1]?.kind === 'name') {
          steps.push((this.tokens[this.position + 1] as { value: string }).value);
          this.position += 2;
        } else if (this.peekPunct('.') && this.tokens[this.position + 1]?.kind === 'number') {
          steps.push(String((this.tokens[this.position + 1] as { value: number }).value));
          this.position += 2;
        } else if (this.peekPunct('[') && !this.peekPunct('*', 1)) {
          this.position++;
          const index = this.expression();
          this.expect(']');
          if (this.skipping > 0) continue;
          if (typeof index !== 'string' && typeof index !== 'number') throw new NotEvaluable('index is not a string or number');
          steps.push(String(index));
        } else break;
      }
      if (this.skipping > 0) return null;
      const value = this.lookup(token.value, steps);
      if (value === undefined) throw new NotEvaluable(`${[token.value, ...steps].join('.')} is not known before plan`);
      return value;
    }
    let value = this.primary();
    for (;;) {
      if (this.accept('.')) {
        const step = this.tokens[this.position++];
        if (step?.kind !== 'name' && step?.kind !== 'number') throw new NotEvaluable('bad attribute');
        value = this.skipping > 0 ? null : indexInto(value, String(step.value));
      } else if (this.peekPunct('[') && !this.peekPunct('*', 1)) {
        this.position++;
        const index = this.expression();
        this.expect(']');
        value = this.skipping > 0 ? null : indexInto(value, index);
      } else return value;
    }
  }

  private primary(): HclValue {
    const token = this.tokens[this.position++];
    if (!token) throw new NotEvaluable('unexpected end');
    if (token.kind === 'number') return token.value;
    if (token.kind === 'string') return token.value.includes('${') && this.skipping === 0 ? evaluateTemplate(token.value, this.lookup) : token.value;
    if (token.kind === 'name') return token.value === 'true' ? true : token.value === 'false' ? false : null;
    if (token.value === '(') {
      const value = this.expression();
      this.expect(')');
      return value;
    }
    if (token.value === '[') {
      const items: HclValue[] = [];
      if (this.tokens[this.position]?.kind === 'name' && (this.tokens[this.position] as { value: string }).value === 'for') throw new NotEvaluable('for expression');
      while (!this.accept(']')) {
        items.push(this.expression());
        if (!this.accept(',') && !this.peekPunct(']')) throw new NotEvaluable('bad list');
      }
      return items;
    }
    if (token.value === '{') {
      const object: { [key: string]: HclValue } = {};
      if (this.tokens[this.position]?.kind === 'name' && (this.tokens[this.position] as { value: string }).value === 'for') throw new NotEvaluable('for expression');
      while (!this.accept('}')) {
        const keyToken = this.tokens[this.position];
        let key: HclValue;
        if (keyToken?.kind === 'name' && (this.peekPunct('=', 1) || this.peekPunct(':', 1))) {
          key = keyToken.value;
          this.position++;
        } else key = this.expression();
        if (!this.accept('=') && !this.accept(':')) throw new NotEvaluable('bad object');
        if (typeof key !== 'string' && typeof key !== 'number' && this.skipping === 0) throw new NotEvaluable('object key is not a string');
        setOwn(object, String(key), this.expression());
        this.accept(',');
      }
      return object;
    }
    throw new NotEvaluable(`unexpected "${token.value}"`);
  }

  private call(name: string): HclValue {
    const args: HclValue[] = [];
    while (!this.accept(')')) {
      args.push(this.expression());
      if (this.accept('...')) throw new NotEvaluable('expanded arguments');
      if (!this.accept(',') && !this.peekPunct(')')) throw new NotEvaluable('bad call');
    }
    if (this.skipping > 0) return null;
    const fn = hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!fn) throw new NotEvaluable(`function ${name}() is not evaluated before plan`);
    return fn(args);
  }

  private peekPunct(value: string, offset = 0): boolean {
    const token = this.tokens[this.position + offset];
    return token?.kind === 'punct' && token.value === value;
  }

  private accept(value: string): boolean {
    if (!this.peekPunct(value)) return false;
    this.position++;
    return true;
  }

  private expect(value: string): void {
    if (!this.accept(value)) throw new NotEvaluable(`expected "${value}"`);
  }
}

function applyOperator(operator: string, left: HclValue, right: HclValue): HclValue {
  switch (operator) {
    case '==':
      return JSON.stringify(left) === JSON.stringify(right);
    case '!=':
      return JSON.stringify(left) !== JSON.stringify(right);
    case '&&':
    case '||':
      if (typeof left !== 'boolean' || typeof right !== 'boolean') throw new NotEvaluable('logic on non-bools');
      return operator === '&&' ? left && right : left || right;
  }
  const a = typeof left === 'string' && /^-?\d+(\.\d+)?$/.test(left) ? Number(left) : left;
  const b = typeof right === 'string' && /^-?\d+(\.\d+)?$/.test(right) ? Number(right) : right;
  if (typeof a !== 'number' || typeof b !== 'number') throw new NotEvaluable('arithmetic on non-numbers');
  switch (operator) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    default:
      return a % b;
  }
}

function indexInto(value: HclValue, index: HclValue): HclValue {
  const position = typeof index === 'number' ? index : typeof index === 'string' && /^\d+$/.test(index) ? Number(index) : undefined;
  if (Array.isArray(value) && position !== undefined && Number.isInteger(position) && position >= 0 && position < value.length) return value[position];
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof index === 'string' && hasOwn(value, index)) return value[index];
  throw new NotEvaluable('index not found');
}

function stringOf(value: HclValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new NotEvaluable('a template interpolates a non-primitive value');
}

function listOf(value: HclValue): HclValue[] {
  if (Array.isArray(value)) return value;
  throw new NotEvaluable('not a list');
}

function objectOf(value: HclValue): { [key: string]: HclValue } {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
  throw new NotEvaluable('not a map');
}

const FUNCTIONS: { readonly [name: string]: (args: HclValue[]) => HclValue } = {
  length: ([value]) => (typeof value === 'string' ? value.length : Array.isArray(value) ? value.length : Object.keys(objectOf(value)).length),
  toset: ([value]) => listOf(value).filter((item, index, all) => all.findIndex((other) => JSON.stringify(other) === JSON.stringify(item)) === index),
  tolist: ([value]) => listOf(value),
  tomap: ([value]) => objectOf(value),
  tostring: ([value]) => stringOf(value),
  tonumber: ([value]) => {
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    if (Number.isNaN(number)) throw new NotEvaluable('tonumber of a non-number');
    return number;
  },
  tobool: ([value]) => {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw new NotEvaluable('tobool of a non-bool');
  },
  keys: ([value]) => Object.keys(objectOf(value)).sort(),
  values: ([value]) => {
    const object = objectOf(value);
    return Object.keys(object)
      .sort()
      .map((key) => object[key]);
  },
  lookup: ([map, key, fallback]) => {
    const object = objectOf(map);
    if (typeof key === 'string' && hasOwn(object, key)) return object[key];
    if (fallback !== undefined) return fallback;
    throw new NotEvaluable('lookup of a missing key without a default');
  },
  contains: ([list, value]) => listOf(list).some((item) => JSON.stringify(item) === JSON.stringify(value)),
  concat: (lists) => lists.flatMap(listOf),
  merge: (maps) => {
    const merged: { [key: string]: HclValue } = {};
    for (const map of maps.map(objectOf)) for (const key of Object.keys(map)) setOwn(merged, key, map[key]);
    return merged;
  },
  coalesce: (values) => {
    const found = values.find((value) => value !== null && value !== '');
    if (found === undefined) throw new NotEvaluable('coalesce of nothing');
    return found;
  },
  jsonencode: ([value]) => JSON.stringify(value),
  jsondecode: ([value]) => {
    try {
      return JSON.parse(stringOf(value)) as HclValue;
    } catch {
      throw new NotEvaluable('jsondecode of text that is not JSON');
    }
  },
  lower: ([value]) => stringOf(value).toLowerCase(),
  upper: ([value]) => stringOf(value).toUpperCase(),
  trimspace: ([value]) => stringOf(value).trim(),
  join: ([separator, list]) => listOf(list).map(stringOf).join(stringOf(separator)),
  split: ([separator, text]) => stringOf(text).split(stringOf(separator)),
  replace: ([text, search, replacement]) => {
    const pattern = stringOf(search);
    if (pattern.startsWith('/') && pattern.endsWith('/')) throw new NotEvaluable('regular-expression replace');
    return stringOf(text).split(pattern).join(stringOf(replacement));
  },
  element: ([list, index]) => {
    const items = listOf(list);
    if (typeof index !== 'number' || items.length === 0) throw new NotEvaluable('element of an empty list');
    return items[index % items.length];
  },
  format: ([spec, ...args]) => {
    let next = 0;
    return stringOf(spec).replace(/%[sd%]/g, (directive) => (directive === '%%' ? '%' : stringOf(args[next++] ?? '')));
  },
};

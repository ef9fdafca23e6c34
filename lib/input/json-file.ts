/**
 * Reading the JSON files of an input (templates, manifests, Terraform JSON,
 * plans, asset manifests): every failure is one clear line, never a stack
 * trace, and no document is deeper than the readers and rules can walk.
 */
import * as fs from 'fs';
import { InputError } from '../core/errors';
import { parseJsonText } from '../core/json-text';

/**
 * How deeply a document may nest objects and arrays. Synthesized templates
 * and Terraform JSON stay within a few dozen levels; anything deeper is not
 * synthesis output, and the recursive readers must not be walked into a stack overflow.
 */
export const MAX_DOCUMENT_DEPTH = 256;

/** Reads and parses a JSON file (a UTF-8 byte order mark is accepted), turning every failure into one clear line. */
export function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new InputError(`${file}: a symbolic link loop`, 'point the link at the file synthesis wrote');
    if (code === 'EISDIR') throw new InputError(`${file}: a directory where a JSON file was expected`, 'check the path');
    throw new InputError(`${file}: cannot be read`, 'check that synthesis completed and the path is right');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const { value, problem } = parseJsonText(text);
  if (problem !== undefined) {
    if (/^\s*(resource|module|variable|provider|terraform|locals|data|output)\s+("|\{)/m.test(text)) {
      throw new InputError(`${file}: this is HCL (Terraform's own syntax), not JSON`, 'pass the directory that holds it (llm-guardrail check <directory>), or the JSON of `terraform show -json plan.out`');
    }
    throw new InputError(`${file}: invalid JSON (${problem})`, 'synthesize again; the file is truncated or corrupt');
  }
  checkDocument(value, file);
  return value;
}

/**
 * Refuses a document nested deeper than {@link MAX_DOCUMENT_DEPTH}, or one
 * with a key named `__proto__` anywhere. Such a key is data to the parser, but
 * copying it into an object (as the readers do when they resolve a value)
 * would replace that object's prototype instead of adding a property, and
 * the properties beside it would no longer be read: no synthesized document
 * has one, so it is refused rather than read wrongly.
 */
export function checkDocument(document: unknown, where: string): void {
  if (typeof document !== 'object' || document === null) return;
  const problem = documentProblem(document, 1);
  if (problem === undefined) return;
  if (problem.kind === 'depth') {
    throw new InputError(`${where}: nested deeper than ${MAX_DOCUMENT_DEPTH} levels, which no synthesized document is`, 'pass the output of cdk synth, cdktf synth or terraform show -json');
  }
  throw new InputError(`${where}: a key named "__proto__" at ${describePath(problem.path)}, which no synthesized document has and which cannot be read safely`, 'remove or rename the key');
}

type DocumentProblem = { readonly kind: 'depth' } | { readonly kind: 'proto'; readonly path: (string | number)[] };

/**
 * What is wrong with `value` (at `depth`): a part deeper than the limit, or a
 * `__proto__` key (with its path, built only then). Recursion stops at the
 * limit, so it never overflows the stack.
 */
function documentProblem(value: object, depth: number): DocumentProblem | undefined {
  if (depth > MAX_DOCUMENT_DEPTH) return { kind: 'depth' };
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const child: unknown = value[index];
      const problem = typeof child === 'object' && child !== null ? documentProblem(child, depth + 1) : undefined;
      if (problem !== undefined) return within(problem, index);
    }
    return undefined;
  }
  for (const key in value) {
    if (key === '__proto__') return { kind: 'proto', path: [key] };
    const child: unknown = (value as { [key: string]: unknown })[key];
    const problem = typeof child === 'object' && child !== null ? documentProblem(child, depth + 1) : undefined;
    if (problem !== undefined) return within(problem, key);
  }
  return undefined;
}

function within(problem: DocumentProblem, step: string | number): DocumentProblem {
  if (problem.kind === 'proto') problem.path.unshift(step);
  return problem;
}

/** `Resources.P.Properties["__proto__"]`: keys that are identifiers with dots, others quoted, list positions in brackets. */
function describePath(path: readonly (string | number)[]): string {
  return path.map((step, index) => (typeof step === 'number' ? `[${step}]` : /^[A-Za-z_$][\w$-]*$/.test(step) && step !== '__proto__' ? `${index === 0 ? '' : '.'}${step}` : `[${JSON.stringify(step)}]`)).join('');
}

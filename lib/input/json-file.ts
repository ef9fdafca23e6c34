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
  checkDepth(value, file);
  return value;
}

/** Refuses a document nested deeper than {@link MAX_DOCUMENT_DEPTH}. */
export function checkDepth(document: unknown, where: string): void {
  if (typeof document === 'object' && document !== null && nestedDeeper(document, 1)) {
    throw new InputError(`${where}: nested deeper than ${MAX_DOCUMENT_DEPTH} levels, which no synthesized document is`, 'pass the output of cdk synth, cdktf synth or terraform show -json');
  }
}

/** Whether `value` (at `depth`) holds anything deeper than the limit. Recursion stops at the limit, so it never overflows the stack. */
function nestedDeeper(value: object, depth: number): boolean {
  if (depth > MAX_DOCUMENT_DEPTH) return true;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const child: unknown = value[index];
      if (typeof child === 'object' && child !== null && nestedDeeper(child, depth + 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    const child: unknown = (value as { [key: string]: unknown })[key];
    if (typeof child === 'object' && child !== null && nestedDeeper(child, depth + 1)) return true;
  }
  return false;
}

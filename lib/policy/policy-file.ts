/**
 * Reading a policy file (JSON or YAML) into plain data. Every problem is one
 * line naming the file and the place, never the file's content (a wrong path
 * such as /etc/passwd must not print its first bytes into a CI log).
 *
 * YAML is read strictly: a tag the YAML 1.2 core schema does not define
 * (`!custom`, `!!js/function`, `!!binary`) is refused instead of being
 * silently read as a string, duplicate keys are refused, and an alias may
 * neither contain itself nor expand more than a bounded number of times.
 */
import * as fs from 'fs';
import { InputError } from '../core/errors';
import { parseJsonText } from '../core/json-text';
import { printable } from '../core/printable';

/** The tags of the YAML 1.2 core schema: the only ones a policy may write. */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`));
/** How many times aliases may be expanded: enough for reuse, too few for an alias bomb. */
const MAX_ALIAS_EXPANSIONS = 100;

/** Whether a file name says YAML. */
export function isYamlFile(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/** The policy file's data, or one line of what is wrong and where. */
export function readPolicyFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`policy file ${file} cannot be read${code === 'EISDIR' ? ' (it is a directory)' : code === 'ENOENT' ? ' (no such file)' : ''}`, 'check the path, or use a preset: eu, us-hipaa, soc2');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return isYamlFile(file) ? parseYaml(text, file) : parseJson(text, file);
}

function parseJson(text: string, file: string): unknown {
  const { value, problem } = parseJsonText(text);
  if (problem !== undefined) throw new InputError(`policy file ${file} is not valid JSON: ${problem}`, 'fix the syntax (policy files ending in .yaml or .yml are read as YAML)');
  return value;
}

function parseYaml(text: string, file: string): unknown {
  const yaml: typeof import('yaml') = require('yaml');
  const lines = new yaml.LineCounter();
  const documents = yaml.parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const fail = (what: string, offset: number | undefined, fix: string): never => {
    const at = offset === undefined ? '' : ` at line ${lines.linePos(offset).line}, column ${lines.linePos(offset).col}`;
    throw new InputError(`policy file ${file} is not valid YAML for a policy: ${printable(what)}${at}`, fix);
  };
  const list = (Array.isArray(documents) ? documents : []) as import('yaml').Document[];
  if (list.length > 1) fail(`it holds ${list.length} YAML documents`, list[1]?.range?.[0], 'keep one policy per file');
  const document = list[0];
  if (document === undefined) return fail('the file is empty', undefined, 'write the policy as one YAML mapping, e.g. "extends: eu"');
  const [problem] = [...document.errors, ...document.warnings];
  if (problem) fail(problem.message.split('\n')[0], problem.pos[0], problem.code === 'TAG_RESOLVE_FAILED' ? 'remove the tag: a policy holds plain strings, numbers, booleans, lists and mappings' : 'fix the syntax');
  yaml.visit(document, {
    Node(_key, node) {
      if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) fail(`the tag ${node.tag.replace(/^tag:yaml\.org,2002:/, '!!')} is not one a policy may use`, node.range?.[0], 'remove the tag: a policy holds plain strings, numbers, booleans, lists and mappings');
    },
  });
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    fail(`its aliases cannot be expanded (${(error as Error).message.split('\n')[0]})`, undefined, 'write the values out instead of using anchors and aliases');
  }
  try {
    JSON.stringify(value);
  } catch {
    fail('an alias refers to a node that contains it', undefined, 'write the values out instead of using anchors and aliases');
  }
  return value;
}

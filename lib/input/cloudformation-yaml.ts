/**
 * CloudFormation templates written in YAML (as teams and SAM write them),
 * with the short forms of the intrinsic functions (`!Ref`, `!GetAtt A.B`,
 * `!Sub`, `!If [...]`, …) read as their long forms, so that the reader sees
 * the same document a JSON template would give it.
 */
import * as fs from 'fs';
import { InputError } from '../core/errors';
import { printable } from '../core/printable';
import { checkDocument } from './json-file';

/** The short-form tags CloudFormation accepts, by the function each stands for. */
const SHORT_FORMS = ['Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'FindInMap', 'If', 'Equals', 'Not', 'And', 'Or', 'Base64', 'Cidr', 'GetAZs', 'ImportValue', 'Transform', 'Length', 'ToJsonString'] as const;

type Tag = { tag: string; collection?: 'map' | 'seq'; resolve: (value: never) => unknown };

let tags: Tag[] | undefined;

/** The yaml package's custom tags for every short form, on scalars, sequences and mappings. */
function shortFormTags(): Tag[] {
  if (tags) return tags;
  const key = (name: string): string => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);
  tags = SHORT_FORMS.flatMap((name): Tag[] => [
    // `!GetAtt Resource.Attribute` is the one scalar form that is a list in its long form.
    { tag: `!${name}`, resolve: (text: string) => ({ [key(name)]: name === 'GetAtt' ? text.split(/\.(.*)/s).slice(0, 2) : text }) },
    { tag: `!${name}`, collection: 'seq', resolve: (node: { toJSON(): unknown }) => ({ [key(name)]: node.toJSON() }) },
    { tag: `!${name}`, collection: 'map', resolve: (node: { toJSON(): unknown }) => ({ [key(name)]: node.toJSON() }) },
  ]);
  return tags;
}


/** Reads a YAML CloudFormation template; every failure is one clear line. */
export function readCloudFormationYaml(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`${file}: cannot be read`, 'check the path');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let document: unknown;
  try {
    // Loaded here, not at import: the gates never read YAML.
    const { parseDocument } = require('yaml') as typeof import('yaml');
    const parsed = parseDocument(text, { customTags: shortFormTags() as never, strict: true, uniqueKeys: true, prettyErrors: false });
    const [problem] = [...parsed.errors, ...parsed.warnings];
    if (problem) throw new Error(problem.message);
    document = parsed.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new InputError(`${file}: not a valid YAML template (${printable(String((error as Error).message).split('\n')[0])})`, 'check the template with `cfn-lint` or `sam validate`');
  }
  checkDocument(document, file);
  return document;
}

/**
 * Every rule ships examples as data, next to it in
 * `lib/rules/<cloud>/<id>-<name>/examples/`: inputs that must break it
 * (`noncompliant-*.json`), satisfy it (`compliant-*.json`) and leave it unable
 * to decide (`unresolvable-*.json`, which must fail closed), in each document
 * format the rule reads. One generic test runs them all, and RULES.md renders
 * them. They live in the source tree and are not part of the package.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DocumentFormat, Resource, ResourceGraph, StackInfo } from '../core/graph';
import { Unresolved } from '../core/values';
import { resourcesFromTemplate } from '../input/cloudformation';
import { resourcesFromTerraform } from '../input/terraform';
import { GuardrailPolicy, PolicySpec } from '../policy/policy';
import type { Rule } from './rule';

/** What an example must show. */
export const EXAMPLE_EXPECTATIONS = ['noncompliant', 'compliant', 'unresolvable'] as const;
export type ExampleExpectation = (typeof EXAMPLE_EXPECTATIONS)[number];

/** One stack of an example: a CloudFormation template or a Terraform JSON configuration. */
export interface ExampleStack {
  /** @default "App" for CloudFormation, "tf" for Terraform */
  readonly name?: string;
  readonly format: DocumentFormat;
  /** CloudFormation: the stack region; `null` for an environment-agnostic stack. @default "eu-central-1" */
  readonly region?: string | null;
  /** CloudFormation: the stack account; `null` for an environment-agnostic stack. @default "111111111111" */
  readonly account?: string | null;
  /** The synthesized document, as `cdk synth` or `cdktf synth` writes it. */
  readonly document: object;
}

/** The JSON of an example file. */
export interface RuleExampleFile {
  /** What the example shows, in one sentence. */
  readonly description: string;
  /** A preset name or a policy spec. @default "eu" */
  readonly policy?: string | PolicySpec;
  readonly stacks: readonly ExampleStack[];
  /** Ids (logical id, Terraform address or stack name) the rule must flag (or pass, for compliant examples). @default - any */
  readonly resources?: readonly string[];
}

export interface RuleExample extends RuleExampleFile {
  /** The file, relative to the repository. */
  readonly file: string;
  readonly expectation: ExampleExpectation;
  /** The document formats the example uses. */
  readonly formats: readonly DocumentFormat[];
}

const RULES_DIRECTORY = __dirname;
const CLOUD_FOLDERS = ['common', 'aws', 'azure', 'google', 'providers'];

/** The folder of a rule: `lib/rules/<cloud>/<id in lower case without LCG->-<name>`; undefined when there is none. */
export function ruleFolder(rule: Pick<Rule, 'id'>): string | undefined {
  const prefix = `${rule.id.replace(/^LCG-/, '').toLowerCase()}-`;
  for (const cloud of CLOUD_FOLDERS) {
    const directory = path.join(RULES_DIRECTORY, cloud);
    if (!fs.existsSync(directory)) continue;
    const found = fs.readdirSync(directory).find((entry) => entry.startsWith(prefix));
    if (found) return path.join(directory, found);
  }
  return undefined;
}

/** The examples of a rule, sorted by expectation then file name. */
export function ruleExamples(rule: Pick<Rule, 'id'>): RuleExample[] {
  const folder = ruleFolder(rule);
  const directory = folder && path.join(folder, 'examples');
  if (!directory || !fs.existsSync(directory)) return [];
  const repository = path.resolve(RULES_DIRECTORY, '..', '..');
  return fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const expectation = EXAMPLE_EXPECTATIONS.find((kind) => file.startsWith(`${kind}-`) || file === `${kind}.json`);
      const full = path.join(directory, file);
      if (!expectation) throw new Error(`${full}: an example's name starts with noncompliant-, compliant- or unresolvable-`);
      const parsed = JSON.parse(fs.readFileSync(full, 'utf8')) as RuleExampleFile;
      if (typeof parsed.description !== 'string' || !Array.isArray(parsed.stacks) || parsed.stacks.length === 0) {
        throw new Error(`${full}: an example has a "description" and at least one entry in "stacks"`);
      }
      return { ...parsed, file: path.relative(repository, full), expectation, formats: [...new Set(parsed.stacks.map((stack) => stack.format))] };
    })
    .sort((a, b) => EXAMPLE_EXPECTATIONS.indexOf(a.expectation) - EXAMPLE_EXPECTATIONS.indexOf(b.expectation) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The resource graph of an example, as the loaders build it from synthesized output. */
export function exampleGraph(example: RuleExampleFile & { readonly file?: string }): ResourceGraph {
  const stacks: StackInfo[] = [];
  const resources: Resource[] = [];
  for (const entry of example.stacks) {
    const cloudFormation = entry.format === 'cloudformation';
    const name = entry.name ?? (cloudFormation ? 'App' : 'tf');
    const stack: StackInfo = cloudFormation
      ? {
          name,
          format: 'cloudformation',
          file: `${example.file ?? 'example'}#${name}`,
          region: entry.region === null ? new Unresolved('AWS::Region', 'the stack is environment-agnostic: set env: { region } on the stack') : (entry.region ?? 'eu-central-1'),
          account: entry.account === null ? new Unresolved('AWS::AccountId', 'the stack is environment-agnostic (no account)') : (entry.account ?? '111111111111'),
        }
      : { name, format: 'terraform', file: `${example.file ?? 'example'}#${name}` };
    stacks.push(stack);
    resources.push(...(cloudFormation ? resourcesFromTemplate(entry.document, stack) : resourcesFromTerraform(entry.document, stack)));
  }
  return new ResourceGraph(stacks, resources);
}

/** The policy of an example. */
export function examplePolicy(example: RuleExampleFile): GuardrailPolicy {
  const policy = example.policy ?? 'eu';
  return typeof policy === 'string' ? GuardrailPolicy.preset(policy) : GuardrailPolicy.fromSpec(policy, 'example policy');
}

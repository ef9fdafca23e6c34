/**
 * Malformed inputs generated from compliant synthesized outputs (the bundled
 * examples: a cloud assembly with a nested stack, a CDKTF output, a Terraform
 * JSON file). Every seed passes (exit 0); every mutation that leaves a part of
 * the input unreadable (a truncated or missing file, a structural field of the
 * wrong type) must not pass, and no mutation at all may crash (exit 3).
 *
 * Deterministic: the random choices come from a seeded generator, and the
 * number of runs is fixed (a few hundred, in-process, seconds in all).
 */
import * as fs from 'fs';
import * as path from 'path';
import { NestedStack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { buildExampleApp } from '../../bin/example-app';
import { EuOpenAiStack } from '../../examples/azure/workload';
import { VertexAiEuStack } from '../../examples/google/workload';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { runCliInProcess } from '../support/cli';
import { synthCdk, synthCdktf, tempDir } from '../support/synth';

/** mulberry32: a small seeded generator, so that every run of the suite tries the same inputs. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'object' | 'block' | 'string';
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Seed {
  readonly name: string;
  /** The directory or file passed to `check`. */
  readonly input: string;
  /** The JSON files the reader needs, relative to the seed's root directory. */
  readonly needed: readonly string[];
  /** JSON paths (file, then keys) of structural fields, and whether each holds an object or a string. */
  readonly structure: readonly (readonly [file: string, keys: readonly string[], kind: Kind])[];
}

/** Replacements of the wrong type for a structural field (Terraform JSON writes a block as an object or a list of objects, so an empty list there is no block at all, not damage). */
const NOT_AN_OBJECT: readonly Json[] = [[], 'x', 42, null, true];
const NOT_A_BLOCK: readonly Json[] = ['x', 42, null, true, [42]];
const NOT_A_STRING: readonly Json[] = [42, null, [], {}, true];

let seeds: Seed[];

beforeAll(() => {
  const assembly = synthCdk((app) => {
    const stack = buildExampleApp(app, { account: '111111111111' });
    // A nested stack, so that nested templates and asset manifests are mutated too.
    const nested = new NestedStack(stack, 'Observability');
    new LogGroup(nested, 'Scratch', { retention: RetentionDays.ONE_WEEK });
  });
  const cdktf = synthCdktf((app) => {
    new EuOpenAiStack(app, 'llm-eu');
    new VertexAiEuStack(app, 'vertex-ai-eu', GuardrailPolicy.preset('eu'));
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly, 'manifest.json'), 'utf8'));
  const stackId = Object.keys(manifest.artifacts).find((id) => manifest.artifacts[id].type === 'aws:cloudformation:stack')!;
  const template = `${stackId}.template.json`;
  const nestedTemplate = fs.readdirSync(assembly).find((file) => file.endsWith('.nested.template.json'))!;
  const parsedTemplate = JSON.parse(fs.readFileSync(path.join(assembly, template), 'utf8'));
  const someResources = Object.keys(parsedTemplate.Resources).filter((_, index) => index % 5 === 0);
  const terraformFile = path.join('stacks', 'llm-eu', 'cdk.tf.json');
  const terraform = JSON.parse(fs.readFileSync(path.join(cdktf, terraformFile), 'utf8'));
  const terraformTypes = Object.keys(terraform.resource);
  const single = path.join(tempDir('fuzz-single'), 'main.tf.json');
  fs.copyFileSync(path.join(cdktf, 'stacks', 'vertex-ai-eu', 'cdk.tf.json'), single);
  const singleDocument = JSON.parse(fs.readFileSync(single, 'utf8'));

  seeds = [
    {
      name: 'cloud assembly',
      input: assembly,
      needed: ['manifest.json', template, nestedTemplate, `${stackId}.assets.json`],
      structure: [
        ['manifest.json', ['artifacts'], 'object'],
        ['manifest.json', ['artifacts', stackId], 'object'],
        ['manifest.json', ['artifacts', stackId, 'type'], 'string'],
        ['manifest.json', ['artifacts', stackId, 'properties'], 'object'],
        ['manifest.json', ['artifacts', stackId, 'properties', 'templateFile'], 'string'],
        [template, ['Resources'], 'object'],
        [nestedTemplate, ['Resources'], 'object'],
        ...someResources.flatMap((id): [string, string[], Kind][] => [
          [template, ['Resources', id], 'object'],
          [template, ['Resources', id, 'Type'], 'string'],
          ...(parsedTemplate.Resources[id].Properties ? [[template, ['Resources', id, 'Properties'], 'object'] as [string, string[], 'object']] : []),
        ]),
      ],
    },
    {
      name: 'CDKTF output',
      input: cdktf,
      needed: ['manifest.json', terraformFile, path.join('stacks', 'vertex-ai-eu', 'cdk.tf.json')],
      structure: [
        ['manifest.json', ['stacks'], 'object'],
        ['manifest.json', ['stacks', 'llm-eu'], 'object'],
        ['manifest.json', ['stacks', 'llm-eu', 'synthesizedStackPath'], 'string'],
        [terraformFile, ['resource'], 'block'],
        ...terraformTypes.flatMap((type): [string, string[], Kind][] => [
          [terraformFile, ['resource', type], 'block'],
          ...Object.keys(terraform.resource[type]).map((name): [string, string[], Kind] => [terraformFile, ['resource', type, name], 'block']),
        ]),
      ],
    },
    {
      name: 'Terraform JSON file',
      input: single,
      needed: [path.basename(single)],
      structure: [
        [path.basename(single), ['resource'], 'block'],
        ...Object.keys(singleDocument.resource).map((type): [string, string[], Kind] => [path.basename(single), ['resource', type], 'block']),
      ],
    },
  ];
});

/** The seed's root directory: the input directory, or the folder of an input file. */
const rootOf = (seed: Seed): string => (fs.statSync(seed.input).isDirectory() ? seed.input : path.dirname(seed.input));

/** A fresh copy of a seed to damage; returns the copy's input path. */
function copySeed(seed: Seed): { input: string; root: string } {
  const root = path.join(tempDir('fuzz'), 'out');
  fs.cpSync(rootOf(seed), root, { recursive: true });
  return { input: seed.input === rootOf(seed) ? root : path.join(root, path.basename(seed.input)), root };
}

function check(input: string): { status: number; stderr: string } {
  const result = runCliInProcess(['check', input, '--policy', 'eu', '--format', 'json', '--today', '2026-11-25']);
  return { status: result.status!, stderr: result.stderr };
}

function setAt(document: Json, keys: readonly string[], value: Json): void {
  let node = document as { [key: string]: Json };
  for (const key of keys.slice(0, -1)) node = node[key] as { [key: string]: Json };
  node[keys[keys.length - 1]] = value;
}

/** Every leaf of a document, as key paths. */
function leaves(document: Json, prefix: string[] = [], out: string[][] = []): string[][] {
  if (document !== null && typeof document === 'object') {
    for (const [key, child] of Object.entries(document)) leaves(child, [...prefix, key], out);
  } else if (prefix.length > 0) out.push(prefix);
  return out;
}

describe('fuzzed inputs: nothing unread passes, nothing crashes', () => {
  test('every seed passes unmutated (so a mutation that fails is failing for its damage)', () => {
    for (const seed of seeds) expect({ seed: seed.name, ...check(seed.input) }).toEqual({ seed: seed.name, status: 0, stderr: '' });
  });

  test('GIVEN a needed file truncated at random points THEN never exit 0 or 3', () => {
    const random = generator(1);
    const outcomes: string[] = [];
    for (const seed of seeds) {
      for (const file of seed.needed) {
        for (let attempt = 0; attempt < 4; attempt++) {
          const copy = copySeed(seed);
          const target = path.join(copy.root, file);
          const text = fs.readFileSync(target, 'utf8').trimEnd();
          const cut = 1 + Math.floor(random() * (text.length - 1));
          fs.writeFileSync(target, text.slice(0, cut));
          const { status } = check(copy.input);
          if (status !== 2) outcomes.push(`${seed.name}: ${file} cut at ${cut} of ${text.length} → exit ${status}`);
        }
      }
    }
    expect(outcomes).toEqual([]);
  });

  test('GIVEN a needed file missing THEN never exit 0 or 3 (exit 2, or 1 for a nested stack whose template cannot be found)', () => {
    const outcomes: string[] = [];
    for (const seed of seeds) {
      for (const file of seed.needed.filter((name) => name !== path.basename(seed.input))) {
        const copy = copySeed(seed);
        fs.rmSync(path.join(copy.root, file));
        const { status } = check(copy.input);
        if (status !== 2 && status !== 1) outcomes.push(`${seed.name}: ${file} removed → exit ${status}`);
      }
    }
    expect(outcomes).toEqual([]);
  });

  test('GIVEN a structural field replaced by a value of the wrong type THEN never exit 0 or 3', () => {
    const outcomes: string[] = [];
    let runs = 0;
    for (const seed of seeds) {
      for (const [file, keys, kind] of seed.structure) {
        for (const replacement of kind === 'object' ? NOT_AN_OBJECT : kind === 'block' ? NOT_A_BLOCK : NOT_A_STRING) {
          const copy = copySeed(seed);
          const target = path.join(copy.root, file);
          const document = JSON.parse(fs.readFileSync(target, 'utf8')) as Json;
          setAt(document, keys, replacement);
          fs.writeFileSync(target, JSON.stringify(document));
          const { status, stderr } = check(copy.input);
          runs++;
          if (status === 0 || status === 3) outcomes.push(`${seed.name}: ${file} ${keys.join('.')} = ${JSON.stringify(replacement)} → exit ${status} ${stderr.trim()}`);
        }
      }
    }
    expect(runs).toBeGreaterThan(100);
    expect(outcomes).toEqual([]);
  });

  test('GIVEN random leaves replaced by random values, and random bytes flipped THEN never exit 3', () => {
    const random = generator(7);
    const values: readonly Json[] = [null, true, false, 0, -1, 1e308, '', 'x', '${var.region}', '${aws_s3_bucket.missing.id}', [], {}, { 'Fn::GetAtt': ['Missing', 'Arn'] }, { Ref: 'AWS::NoValue' }, '\u0000\u001b[2J'];
    const outcomes: string[] = [];
    for (const seed of seeds) {
      for (let attempt = 0; attempt < 40; attempt++) {
        const copy = copySeed(seed);
        const file = seed.needed[Math.floor(random() * seed.needed.length)];
        const target = path.join(copy.root, file);
        if (attempt % 4 === 3) {
          const bytes = fs.readFileSync(target);
          for (let flip = 0; flip < 3; flip++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
          fs.writeFileSync(target, bytes);
        } else {
          const document = JSON.parse(fs.readFileSync(target, 'utf8')) as Json;
          const paths = leaves(document);
          for (let change = 0; change < 3 && paths.length > 0; change++) setAt(document, paths[Math.floor(random() * paths.length)], values[Math.floor(random() * values.length)]);
          fs.writeFileSync(target, JSON.stringify(document));
        }
        const { status, stderr } = check(copy.input);
        if (status === 3 || ![0, 1, 2].includes(status)) outcomes.push(`${seed.name}: attempt ${attempt} on ${file} → exit ${status} ${stderr.trim()}`);
        if (status === 2 && !/^llm-guardrail: [^\n]+\n$/.test(stderr)) outcomes.push(`${seed.name}: attempt ${attempt} on ${file} → not one line: ${stderr}`);
      }
    }
    expect(outcomes).toEqual([]);
  });
});

/**
 * Every TypeScript block of the shipped READMEs is either a complete program
 * or says which file of this repository it is a fragment of. Complete ones
 * are type-checked as a consumer compiles them (strict, node16 resolution,
 * the package through its exports map), and run as the README says: the CDK
 * app with the real `cdk synth`, the CDKTF apps with tsx — passing as
 * written, and failing with the named rule when the README's own "move it
 * to …" edit is made. Fragments must match the file they name, line for line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GuardrailPolicy } from '../../lib';
import { REPOSITORY_ROOT, STACK_FRAME, codeBlocks, linkNodeModules, shell, userEnvironment } from '../support/readme';
import { synthCdk, tempDir } from '../support/synth';

/** The READMEs the package ships (and links to from README.md). */
const READMES = ['README.md', 'constructs/aws/README.md', 'constructs/azure/README.md', 'constructs/google/README.md', 'lib/docs/README.md', 'examples/azure/README.md'].filter((file) => fs.existsSync(path.join(REPOSITORY_ROOT, file)));

interface CompleteProgram {
  /** README file and the heading the block sits under. */
  readonly readme: string;
  readonly heading: string;
  /** `cdk`: bin/app.ts of a CDK project, run with `npx cdk synth`; `tsx`: run with `npx tsx <file>`. */
  readonly run: 'cdk' | 'tsx';
  /** The README's own edit that must make the gate fail, and the rule that must say so. */
  readonly mutation?: { readonly line?: RegExp; readonly from: RegExp; readonly to: string; readonly rule: string };
  /** What the program reads: prepared in its directory first. */
  readonly setup?: (directory: string) => void;
  /** Files the program writes, relative to its directory. */
  readonly writes?: readonly string[];
}

const PROGRAMS: readonly CompleteProgram[] = [
  { readme: 'README.md', heading: 'Amazon Bedrock on AWS CDK', run: 'cdk', mutation: { from: /eu-central-1/g, to: 'us-east-1', rule: 'LCG-RES-010' }, writes: ['cdk.out/llm-guardrail-report.json', 'cdk.out/data-flow.md'] },
  { readme: 'README.md', heading: 'Azure OpenAI and Google Vertex AI on CDK for Terraform', run: 'tsx', mutation: { line: /new RegionalVertexAiEndpoint\(/, from: /europe-west4/g, to: 'europe-west2', rule: 'LCG-RES-001' }, writes: ['cdktf.out/stacks/vertex-eu/llm-guardrail-report.json'] },
  { readme: 'constructs/azure/README.md', heading: 'The simplest EU endpoint', run: 'tsx', mutation: { from: /westeurope/g, to: 'uksouth', rule: 'LCG-RES-001' }, writes: ['cdktf.out/stacks/llm-eu/cdk.tf.json'] },
  { readme: 'constructs/google/README.md', heading: 'Google Vertex AI on CDK for Terraform', run: 'tsx', mutation: { from: /europe-west4/g, to: 'europe-west2', rule: 'LCG-RES-001' }, writes: ['cdktf.out/stacks/vertex-ai-eu/cdk.tf.json'] },
  {
    readme: 'lib/docs/README.md',
    heading: 'In code',
    run: 'tsx',
    setup: (directory) => {
      const { Stack, aws_sqs: sqs } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
      const outdir = synthCdk((app) => new sqs.Queue(new Stack(app, 'Queue', { env: { account: '111111111111', region: 'eu-central-1' } }), 'Queue'));
      fs.cpSync(outdir, path.join(directory, 'cdk.out'), { recursive: true });
    },
    writes: ['docs/data-flow/data-flow.md', 'docs/data-flow/data-flow.html', 'cdk.out/data-flow.json'],
  },
];

/** A block that names the repository file it is part of. */
const FRAGMENT = /^\/\/ Fragment of ([\w./-]+)/;

interface TsBlock {
  readonly readme: string;
  readonly heading: string;
  readonly line: number;
  readonly code: string;
}

const TS_BLOCKS: readonly TsBlock[] = READMES.flatMap((readme) =>
  codeBlocks(fs.readFileSync(path.join(REPOSITORY_ROOT, readme), 'utf8'))
    .filter((block) => block.language === 'ts' || block.language === 'typescript')
    .map((block) => ({ readme, heading: block.heading, line: block.line, code: block.code })),
);
/** A block of the reader's own application code (another SDK), not of this package. */
const APPLICATION = /^\/\/ Your application, not this package/;
const FRAGMENTS = TS_BLOCKS.filter((block) => FRAGMENT.test(block.code));
const APPLICATION_CODE = TS_BLOCKS.filter((block) => APPLICATION.test(block.code));
const COMPLETE = TS_BLOCKS.filter((block) => !FRAGMENT.test(block.code) && !APPLICATION.test(block.code));

function programOf(block: TsBlock): CompleteProgram | undefined {
  return PROGRAMS.find((program) => program.readme === block.readme && program.heading === block.heading);
}

function mutate(code: string, mutation: NonNullable<CompleteProgram['mutation']>): string {
  const mutated = code
    .split('\n')
    .map((line) => (!mutation.line || mutation.line.test(line) ? line.replace(mutation.from, mutation.to) : line))
    .join('\n');
  if (mutated === code) throw new Error(`the mutation ${mutation.from} → ${mutation.to} changes nothing`);
  return mutated;
}

/** Writes a program into a fresh project directory and runs it as the README says. */
async function runProgram(program: CompleteProgram, code: string, name: string, validate = true) {
  const directory = tempDir(`readme-${name}`);
  linkNodeModules(directory);
  program.setup?.(directory);
  if (program.run === 'cdk') {
    fs.mkdirSync(path.join(directory, 'bin'));
    fs.writeFileSync(path.join(directory, 'bin', 'app.ts'), code);
    fs.writeFileSync(path.join(directory, 'cdk.json'), JSON.stringify({ app: 'npx tsx bin/app.ts' }));
    // Users synthesize with aws-cdk-lib's template validation on: so does the run as written. The moved copy
    // differs only in a region the gate refuses, so it skips that validation (about 6 s a process).
    const env = userEnvironment();
    if (validate) delete env.CDK_VALIDATION;
    else env.CDK_VALIDATION = 'false';
    return { directory, ...(await shell('npx cdk synth -q', directory, env)) };
  }
  fs.writeFileSync(path.join(directory, 'main.ts'), code);
  return { directory, ...(await shell('npx tsx main.ts', directory, userEnvironment())) };
}

describe('the TypeScript blocks of the READMEs', () => {
  test('THEN each is a complete program this test runs, or a fragment naming its file', () => {
    expect(TS_BLOCKS.length).toBeGreaterThanOrEqual(PROGRAMS.length);
    expect(COMPLETE.filter((block) => !programOf(block)).map((block) => `${block.readme}:${block.line} (${block.heading}): neither complete (listed in PROGRAMS) nor "// Fragment of <file>"`)).toEqual([]);
    expect(PROGRAMS.filter((program) => COMPLETE.filter((block) => programOf(block) === program).length !== 1).map((program) => `${program.readme} › ${program.heading}`)).toEqual([]);
  });

  test('THEN a block of the reader\'s own application code uses nothing of this package', () => {
    for (const block of APPLICATION_CODE) expect(block.code).not.toMatch(/llm-compliance-guardrail|CdktfGuardrail|ComplianceGate/);
  });

  test('THEN every line of each fragment is in the file it names', () => {
    const problems = FRAGMENTS.flatMap((block) => {
      const file = FRAGMENT.exec(block.code)![1];
      if (!fs.existsSync(path.join(REPOSITORY_ROOT, file))) return [`${block.readme}:${block.line}: names ${file}, which does not exist`];
      const source = fs.readFileSync(path.join(REPOSITORY_ROOT, file), 'utf8');
      const lines = block.code.split('\n').slice(1).map((line) => line.trim()).filter((line) => line && line !== '// …' && line !== '…');
      return lines.filter((line) => !source.includes(line)).map((line) => `${block.readme}:${block.line}: "${line}" is not in ${file}`);
    });
    expect(problems).toEqual([]);
  });

  test('WHEN the complete ones are compiled as a consumer compiles them (strict, node16) THEN tsc reports nothing', async () => {
    const directory = tempDir('readme-typecheck');
    linkNodeModules(directory);
    const files = COMPLETE.map((block, index) => {
      const file = `block-${index}.ts`;
      fs.writeFileSync(path.join(directory, file), block.code);
      return file;
    });
    const tsc = `node ${path.join(REPOSITORY_ROOT, 'node_modules', 'typescript', 'bin', 'tsc')}`;
    const result = await shell(`${tsc} --noEmit --strict --skipLibCheck --target ES2022 --module node16 --moduleResolution node16 --types node ${files.join(' ')}`, directory, userEnvironment());
    const named = (result.stdout + result.stderr).replace(/block-(\d+)\.ts/g, (_, index: string) => `${COMPLETE[Number(index)].readme}:${COMPLETE[Number(index)].line}+`);
    expect(named).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);

  describe.each(PROGRAMS.map((program) => [`${program.readme} › ${program.heading}`, program] as const))('GIVEN the program of %s', (_, program) => {
    const block = COMPLETE.find((candidate) => programOf(candidate) === program);

    test('WHEN run as written THEN it exits 0, with no error-level finding, and writes what it says', async () => {
      const result = await runProgram(program, block!.code, 'as-written');
      expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr.slice(-3000) }).toEqual({ status: 0, stderr: '' });
      for (const file of program.writes ?? []) expect(fs.existsSync(path.join(result.directory, file)) ? file : `${file} is missing`).toBe(file);
      for (const report of (program.writes ?? []).filter((file) => file.endsWith('llm-guardrail-report.json'))) {
        expect(JSON.parse(fs.readFileSync(path.join(result.directory, report), 'utf8')).summary.errors).toBe(0);
      }
    }, 240_000);

    if (program.mutation) {
      const mutation = program.mutation;
      test(`WHEN moved (${mutation.from.source} → ${mutation.to}) THEN the gate fails it with ${mutation.rule}, and no stack trace`, async () => {
        const result = await runProgram(program, mutate(block!.code, mutation), 'moved', false);
        expect(result.status).toBe(1);
        expect(result.stdout + result.stderr).toContain(mutation.rule);
        expect(result.stderr).not.toMatch(STACK_FRAME);
      }, 240_000);
    }
  });
});

describe('the policy and configuration blocks of README.md', () => {
  const blocks = codeBlocks(fs.readFileSync(path.join(REPOSITORY_ROOT, 'README.md'), 'utf8'));

  test('THEN the policy it introduces as policy/eea.yaml is the shipped file, and loads', () => {
    const block = blocks.find((candidate) => candidate.language === 'yaml' && candidate.code.startsWith('# policy/eea.yaml\n'));
    expect(block?.code).toBe(fs.readFileSync(path.join(REPOSITORY_ROOT, 'policy', 'eea.yaml'), 'utf8'));
    expect(GuardrailPolicy.fromFile(path.join(REPOSITORY_ROOT, 'policy', 'eea.yaml')).name).toBe('eea-claims-assistant');
  });

  test('THEN every JSON block parses', () => {
    const json = blocks.filter((block) => block.language === 'json');
    expect(json.length).toBeGreaterThan(0);
    for (const block of json) expect(() => JSON.parse(block.code)).not.toThrow();
  });
});

/**
 * The CI recipes as CI runs them, on this machine: the composite GitHub Action
 * (action.yml) step by step as the runner does — inputs and outputs through
 * the environment and $GITHUB_OUTPUT, `if:` conditions evaluated, `bash -e`
 * — the GitLab job's script, and the pre-commit hooks' entries, each in a
 * copy of the repository with the example app, passing and then failing.
 * The one step that needs GitHub (the SARIF upload) is checked for what it
 * would be given. The README's copy-paste blocks must equal the recipe files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { REPOSITORY_ROOT, STACK_FRAME, cloneWorkspace, codeBlocks, shell, userEnvironment } from '../support/readme';
import { tempDir } from '../support/synth';

interface ActionStep {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string;
  readonly shell?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: { readonly [name: string]: string };
  readonly env?: { readonly [name: string]: string };
  readonly 'working-directory'?: string;
}

interface Action {
  readonly inputs: { readonly [name: string]: { readonly description: string; readonly default?: string; readonly required?: boolean } };
  readonly outputs: { readonly [name: string]: { readonly description: string; readonly value: string } };
  readonly runs: { readonly using: string; readonly steps: readonly ActionStep[] };
}

const ACTION = parse(fs.readFileSync(path.join(REPOSITORY_ROOT, 'action.yml'), 'utf8')) as Action;
const README_BLOCKS = codeBlocks(fs.readFileSync(path.join(REPOSITORY_ROOT, 'README.md'), 'utf8'));

/** What a step of a workflow file passes to an action. */
function workflowStep(file: string, uses: string): { readonly uses: string; readonly with: { readonly [name: string]: string } } {
  const workflow = parse(fs.readFileSync(path.join(REPOSITORY_ROOT, file), 'utf8')) as { jobs: { [job: string]: { steps: { uses?: string; with?: { [name: string]: string } }[] } } };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const step = steps.find((candidate) => candidate.uses === uses);
  if (!step) throw new Error(`${file} has no step that uses ${uses}`);
  return { uses, with: step.with ?? {} };
}

interface Context {
  readonly inputs: { readonly [name: string]: string };
  readonly github: { readonly [name: string]: string };
  readonly steps: { [id: string]: { outputs: { [name: string]: string } } };
}

/** `${{ a.b.c }}` in a value: the runner's expression, for the property paths action.yml uses. */
function substitute(value: string, context: Context): string {
  return value.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expression: string) => String(lookup(expression, context)));
}

function lookup(expression: string, context: Context): string {
  const [root, ...rest] = expression.split('.');
  let value: unknown = context[root as keyof Context];
  for (const key of rest) value = (value as { [key: string]: unknown } | undefined)?.[key];
  if (value === undefined && root !== 'steps') throw new Error(`action.yml uses ${expression}, which this test does not provide`);
  return value === undefined ? '' : String(value);
}

/** The `if:` conditions action.yml uses: terms joined by &&, each always(), or a property compared with == / != to a literal. */
function condition(text: string | undefined, context: Context): boolean {
  if (text === undefined) return true;
  return text.split('&&').every((term) => {
    const trimmed = term.trim();
    if (trimmed === 'always()') return true;
    const comparison = /^([\w.-]+)\s*(==|!=)\s*'([^']*)'$/.exec(trimmed);
    if (!comparison) throw new Error(`action.yml has a condition this test cannot evaluate: ${trimmed}`);
    const equal = lookup(comparison[1], context) === comparison[3];
    return comparison[2] === '==' ? equal : !equal;
  });
}

interface ActionRun {
  readonly steps: { readonly name: string; readonly ran: boolean; readonly status?: number | null; readonly output?: string; readonly with?: { [name: string]: string } }[];
  /** The job's result: the first failing step's exit code, else 0. */
  readonly jobStatus: number;
  readonly outputs: { readonly [name: string]: string };
  readonly summary: string;
}

/** Runs action.yml as the runner would, with `with` as given in a workflow. */
async function runAction(workspace: string, given: { readonly [name: string]: string }): Promise<ActionRun> {
  const unknown = Object.keys(given).filter((name) => !(name in ACTION.inputs));
  if (unknown.length > 0) throw new Error(`inputs action.yml does not declare: ${unknown.join(', ')}`);
  const inputs = Object.fromEntries(Object.entries(ACTION.inputs).map(([name, input]) => [name, given[name] ?? input.default ?? '']));
  const context: Context = { inputs, github: { action_path: REPOSITORY_ROOT, workspace }, steps: {} };
  const work = tempDir('runner');
  const summaryFile = path.join(work, 'summary.md');
  const steps: ActionRun['steps'][number][] = [];
  let jobStatus = 0;
  for (const [index, step] of ACTION.runs.steps.entries()) {
    const name = step.name ?? step.id ?? `step ${index}`;
    // Steps after a failure run only when their condition says always().
    if ((jobStatus !== 0 && !(step.if ?? '').includes('always()')) || !condition(step.if, context)) {
      steps.push({ name, ran: false });
      continue;
    }
    if (step.uses) {
      steps.push({ name, ran: true, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, substitute(value, context)])) });
      continue;
    }
    const outputFile = path.join(work, `output-${index}`);
    fs.writeFileSync(outputFile, '');
    const script = path.join(work, `step-${index}.sh`);
    fs.writeFileSync(script, step.run!);
    const env = userEnvironment({
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, substitute(value, context)])),
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_ACTION_PATH: REPOSITORY_ROOT,
      GITHUB_WORKSPACE: workspace,
    });
    const cwd = path.resolve(workspace, substitute(step['working-directory'] ?? '.', context));
    expect(step.shell).toBe('bash');
    // What the runner runs for `shell: bash`.
    const result = await shell(`bash --noprofile --norc -eo pipefail ${script}`, cwd, env);
    steps.push({ name, ran: true, status: result.status, output: result.stdout + result.stderr });
    if (step.id) {
      const outputs: { [name: string]: string } = {};
      for (const line of fs.readFileSync(outputFile, 'utf8').split('\n').filter(Boolean)) outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
      context.steps[step.id] = { outputs };
    }
    if (result.status !== 0 && jobStatus === 0) jobStatus = result.status ?? 1;
  }
  const outputs = Object.fromEntries(Object.entries(ACTION.outputs).map(([name, output]) => [name, substitute(output.value, context)]));
  return { steps, jobStatus, outputs, summary: fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8') : '' };
}

describe('the GitHub Action (action.yml, composite)', () => {
  test('THEN every input and output is described, and no script interpolates an expression (inputs reach scripts through env)', () => {
    expect(ACTION.runs.using).toBe('composite');
    for (const [name, input] of Object.entries(ACTION.inputs)) expect([name, input.description.length > 10, typeof input.default]).toEqual([name, true, 'string']);
    for (const [name, output] of Object.entries(ACTION.outputs)) expect([name, output.description.length > 10]).toEqual([name, true]);
    for (const step of ACTION.runs.steps.filter((candidate) => candidate.run)) expect(step.run).not.toMatch(/\$\{\{/);
  });

  test('THEN the SARIF upload is code scanning\'s own action, given the file the check wrote', () => {
    const upload = ACTION.runs.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload).toMatchObject({ uses: 'github/codeql-action/upload-sarif@v3', with: { sarif_file: '${{ steps.check.outputs.sarif-file }}', category: 'llm-guardrail' } });
  });

  test('THEN the workflows that use it pass only inputs it declares: this repository\'s (uses: ./) and the one the README gives (the Action from the installed package)', () => {
    for (const [file, uses] of [
      ['.github/workflows/llm-guardrail.yml', './'],
      ['ci/github-workflow.yml', './node_modules/llm-compliance-guardrail'],
    ] as const) {
      expect(Object.keys(workflowStep(file, uses).with).filter((name) => !(name in ACTION.inputs))).toEqual([]);
    }
  });

  describe('WHEN run step by step as the runner does, with the inputs of .github/workflows/llm-guardrail.yml, on the example app', () => {
    const given = workflowStep('.github/workflows/llm-guardrail.yml', './').with;
    let workspace: string;
    let passing: ActionRun;
    let failing: ActionRun;
    let unusable: ActionRun;
    let passingSarif: { runs: { results: { level: string }[] }[] };

    beforeAll(async () => {
      workspace = cloneWorkspace('action');
      passing = await runAction(workspace, given);
      // The next runs write to the same workspace (the unusable one shows that a report left behind is not uploaded).
      passingSarif = JSON.parse(fs.readFileSync(passing.outputs['sarif-file'], 'utf8'));
      failing = await runAction(workspace, { ...given, synth: `${given.synth} -c llm-guardrail:example-violation=true`, 'sarif-file': 'reports/failing.sarif' });
      unusable = await runAction(workspace, { ...given, synth: '', policy: 'no-such-preset' });
    }, 600_000);

    test('THEN the compliant app passes: check exits 0, the SARIF is written and handed to the upload, and the failing step is skipped', () => {
      expect(passing.steps.map((step) => [step.name, step.ran, step.status ?? null])).toEqual([
        ['Check the synthesized output', true, 0],
        ['Upload SARIF to code scanning', true, null],
        ['Fail on error-level findings', false, null],
      ]);
      expect(passing.jobStatus).toBe(0);
      expect(passing.outputs).toEqual({ 'exit-code': '0', 'sarif-file': path.join(fs.realpathSync(workspace), 'llm-guardrail.sarif') });
      expect(passing.steps[1].with).toEqual({ sarif_file: passing.outputs['sarif-file'], category: 'llm-guardrail' });
      expect(passingSarif.runs[0].results.filter((result) => result.level === 'error')).toEqual([]);
      expect(passing.steps[0].output).toContain('PASS');
      expect(passing.summary).toContain('passed: no error-level finding');
    });

    test('THEN the violating app fails the job with exit code 1, after the SARIF with its finding was handed to the upload', () => {
      expect(failing.steps.map((step) => [step.name, step.ran, step.status ?? null])).toEqual([
        ['Check the synthesized output', true, 0],
        ['Upload SARIF to code scanning', true, null],
        ['Fail on error-level findings', true, 1],
      ]);
      expect(failing.jobStatus).toBe(1);
      expect(failing.outputs['exit-code']).toBe('1');
      expect(failing.steps[0].output).toMatch(/synthesis exited 1; the check below decides/);
      const sarif = JSON.parse(fs.readFileSync(path.join(workspace, 'reports', 'failing.sarif'), 'utf8'));
      expect(sarif.runs[0].results.map((result: { ruleId: string }) => result.ruleId)).toContain('LCG-RES-010');
      // URIs are relative to the repository root, where code scanning looks for them.
      expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^cdk\.out\//);
      expect(failing.steps[2].output).toContain('::error title=llm-guardrail::');
      expect(failing.summary).toContain('failed: error-level findings');
    });

    test('THEN an unusable policy fails the job with exit code 2 and one line, no SARIF upload (not even the one an earlier run left), no stack trace', () => {
      expect(unusable.jobStatus).toBe(2);
      expect(unusable.steps.map((step) => step.ran)).toEqual([true, false, true]);
      expect(unusable.steps[0].output).toMatch(/no-such-preset/);
      expect(unusable.steps[0].output).not.toMatch(STACK_FRAME);
    });
  });
});

describe('the GitLab CI job (ci/gitlab-ci.yml)', () => {
  const pipeline = parse(fs.readFileSync(path.join(REPOSITORY_ROOT, 'ci', 'gitlab-ci.yml'), 'utf8')) as { [job: string]: { script: string[]; artifacts: { when: string; paths: string[]; reports: { junit: string } } } };
  const job = pipeline['llm-guardrail'];

  /** The job's script after `npm ci` (the dependencies are installed here), run as GitLab's shell runs it: errexit, line by line. */
  async function runJob(workspace: string, edit: (line: string) => string = (line) => line) {
    const lines = job.script.filter((line) => line !== 'npm ci').map(edit);
    expect(lines.length).toBe(job.script.length - 1);
    const script = path.join(tempDir('gitlab-job'), 'script.sh');
    fs.writeFileSync(script, `${lines.join('\n')}\n`);
    return shell(`bash -eo pipefail ${script}`, workspace, userEnvironment(), 300_000);
  }

  test('THEN the JUnit report it names is the file the check writes, kept when the job fails', () => {
    expect(job.artifacts.when).toBe('always');
    expect(job.script.join('\n')).toContain(`--junit ${job.artifacts.reports.junit}`);
    for (const file of job.artifacts.paths) expect(job.script.join('\n')).toContain(file);
  });

  test('WHEN the job runs on the example app THEN it passes under eu and fails under us-hipaa, writing the JUnit report both times', async () => {
    const workspace = cloneWorkspace('gitlab');
    const passed = await runJob(workspace);
    expect({ status: passed.status, output: passed.status === 0 ? '' : (passed.stdout + passed.stderr).slice(-2000) }).toEqual({ status: 0, output: '' });
    expect(fs.readFileSync(path.join(workspace, job.artifacts.reports.junit), 'utf8')).toMatch(/^<\?xml[\s\S]*<testsuites[^>]* failures="0"/);

    fs.rmSync(path.join(workspace, job.artifacts.reports.junit));
    const failed = await runJob(workspace, (line) => line.replace('--policy eu', '--policy us-hipaa'));
    expect(failed.status).toBe(1);
    expect(fs.readFileSync(path.join(workspace, job.artifacts.reports.junit), 'utf8')).toMatch(/LCG-RES-0\d\d/);
    expect(failed.stderr).not.toMatch(STACK_FRAME);
  }, 300_000);
});

describe('the pre-commit hooks (.pre-commit-hooks.yaml)', () => {
  const hooks = parse(fs.readFileSync(path.join(REPOSITORY_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; args?: string[]; language: string; pass_filenames: boolean }[];

  test('THEN the README\'s local configuration declares the same hooks', () => {
    const local = parse(fs.readFileSync(path.join(REPOSITORY_ROOT, 'ci', 'pre-commit-config.yaml'), 'utf8')) as { repos: { repo: string; hooks: object[] }[] };
    expect(local.repos).toEqual([{ repo: 'local', hooks }]);
  });

  test('WHEN each hook\'s entry runs as pre-commit runs it (no file names) on the example app THEN it passes; with a policy the app breaks THEN the check hook fails', async () => {
    const workspace = cloneWorkspace('pre-commit');
    for (const hook of hooks) {
      expect([hook.id, hook.language, hook.pass_filenames]).toEqual([hook.id, 'system', false]);
      const result = await shell([hook.entry, ...(hook.args ?? [])].join(' '), workspace, userEnvironment(), 300_000);
      expect({ hook: hook.id, status: result.status, output: result.status === 0 ? '' : (result.stdout + result.stderr).slice(-2000) }).toEqual({ hook: hook.id, status: 0, output: '' });
    }
    const check = hooks.find((hook) => hook.id === 'llm-guardrail-check')!;
    const failed = await shell([check.entry, ...(check.args ?? []), '--policy', 'us-hipaa'].join(' '), workspace, userEnvironment());
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/LCG-RES-0\d\d/);
  }, 300_000);
});

describe('the README\'s copy-paste blocks', () => {
  test.each([
    ['# .github/workflows/llm-guardrail.yml', 'ci/github-workflow.yml'],
    ['# .gitlab-ci.yml', 'ci/gitlab-ci.yml'],
    ['# .pre-commit-config.yaml', 'ci/pre-commit-config.yaml'],
  ])('THEN the block headed "%s" is %s, the file these tests run', (heading, file) => {
    const block = README_BLOCKS.find((candidate) => candidate.language === 'yaml' && candidate.code.startsWith(`${heading}\n`));
    expect(block?.code).toBe(fs.readFileSync(path.join(REPOSITORY_ROOT, file), 'utf8'));
  });
});

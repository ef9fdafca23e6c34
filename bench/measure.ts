/**
 * Running the measurements: each one in a fresh worker process
 * (bench/worker.ts, compiled to .bench/dist/bench/worker.js), modes taking turns
 * round after round, the CLI on the bare outputs and the import of each
 * entry point, summarized into the figures of bench/results.ts.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CliFigures, ImportFigures, Machine, ModeFigures, Options, SizeFigures } from './results';
import { ProfileSummary, mainProfile, summarizeProfile } from './profile';
import { Sample, paired, sample } from './stats';
import type { Framework, ImportResult, ImportTask, SynthMode, SynthResult, SynthTask } from './worker';

const ROOT = path.resolve(__dirname, '..');
/** The benchmark compiles into its own directory, so that it never rewrites dist/ under a running test or pack. */
const DIST = path.join(ROOT, '.bench', 'dist');
const WORKER = path.join(DIST, 'bench', 'worker.js');
const CLI = path.join(DIST, 'bin', 'llm-guardrail.js');
export const WORK_DIR = path.join(ROOT, '.bench');
const TIME_COMMAND = '/usr/bin/time';
/** Heap limit of every worker: the 50,000-resource CDK app outgrows Node's default. Same for bare and gated runs. */
export const WORKER_HEAP_MB = 8192;

export function log(message: string): void {
  // Progress goes to stderr so that `--json` output stays one object.
  process.stderr.write(`${message}\n`);
}

export function build(options: Options): void {
  if (!options.build) {
    for (const file of [WORKER, CLI]) {
      if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing (fix: run without --no-build, or \`npx tsc -p tsconfig.bench.json\` first)`);
    }
    return;
  }
  log('compiling with tsc -p tsconfig.bench.json …');
  // Incremental state without the files it describes would make tsc skip the emit.
  if (![WORKER, CLI].every((file) => fs.existsSync(file))) fs.rmSync(path.join(DIST, 'bench.tsbuildinfo'), { force: true });
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.bench.json')], { cwd: ROOT, encoding: 'utf8' });
  // tsc still writes JavaScript when some file has a type error; the benchmark only needs its own files and the gates.
  if (result.status !== 0) log(`warning: tsc reported errors (benchmarking what was emitted):\n${(result.stdout ?? '').split('\n').slice(0, 5).join('\n')}`);
  for (const file of [WORKER, CLI]) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing after compiling (fix: run \`npx tsc -p tsconfig.bench.json\` and look at its errors)`);
  }
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: os.availableParallelism?.() ?? cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
    date: new Date().toISOString(),
  };
}

function runWorker<T>(task: SynthTask | ImportTask, environment: NodeJS.ProcessEnv, nodeArgs: readonly string[] = []): T {
  fs.rmSync(task.resultFile, { force: true });
  const result = spawnSync(process.execPath, [`--max-old-space-size=${WORKER_HEAP_MB}`, ...nodeArgs, WORKER, JSON.stringify(task)], {
    cwd: ROOT,
    env: environment,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (!fs.existsSync(task.resultFile)) {
    const detail = (result.stderr ?? '').trim().split('\n').slice(-5).join(' | ');
    throw new Error(`worker failed (${describeTask(task)}), exit ${result.status ?? result.signal}: ${detail}`);
  }
  return JSON.parse(fs.readFileSync(task.resultFile, 'utf8')) as T;
}

function describeTask(task: SynthTask | ImportTask): string {
  return task.kind === 'synth' ? `${task.framework} ${task.resources} ${task.mode}` : `import ${path.relative(ROOT, task.module)}`;
}

function gateAvailable(framework: Framework): boolean {
  return fs.existsSync(path.join(DIST, 'aspects', framework === 'cdk' ? 'cdk.js' : 'cdktf.js'));
}

export function measureSize(framework: Framework, resources: number, options: Options): SizeFigures {
  const runs = resources > 10000 ? options.largeRuns : options.runs;
  const gateMode = gateAvailable(framework) ? 'gate' : 'engine';
  const modes: SynthMode[] = ['bare', gateMode];
  if (gateMode === 'gate' && options.docsSplit) modes.push('gate-without-docs');
  if (gateMode === 'gate' && options.engine) modes.push('engine');
  if (framework === 'cdk' && options.cdkNag) modes.push('cdk-nag', 'empty-plugin');
  const environment: NodeJS.ProcessEnv = { ...process.env };
  // aws-cdk-lib 2.276 validates every template against the CloudFormation schema at synthesis, in WebAssembly;
  // it dwarfs everything else, so by default it is off and the gate is compared with the leanest synthesis.
  if (framework === 'cdk' && !options.cfnValidation) environment.CDK_VALIDATION = 'false';

  const results: Partial<Record<SynthMode, SynthResult[]>> = {};
  // Modes take turns run after run, so a burst of load on the machine hits them alike; each round starts with the
  // next mode, so that no mode always runs in the same place of a round.
  for (let run = 0; run < runs; run++) {
    const shift = run % modes.length;
    for (const mode of [...modes.slice(shift), ...modes.slice(0, shift)]) {
      log(`${framework} ${resources} resources: ${mode} run ${run + 1}/${runs}`);
      const outdir = path.join(WORK_DIR, `${framework}-${resources}-${mode}`, framework === 'cdk' ? 'cdk.out' : 'cdktf.out');
      const task: SynthTask = {
        kind: 'synth',
        framework,
        mode,
        resources,
        resourcesPerStack: options.perStack,
        outdir,
        resultFile: path.join(WORK_DIR, `${framework}-${resources}-${mode}.result.json`),
      };
      (results[mode] ??= []).push(runWorker<SynthResult>(task, environment));
    }
  }

  const figures: Partial<Record<SynthMode, ModeFigures>> = {};
  for (const mode of modes) {
    const list = results[mode] ?? [];
    const bare = results.bare ?? [];
    // What a mode adds: compared over the part where modes differ (enabling and synthesis, see SynthResult.phaseSeconds).
    const over = (metric: 'phaseSeconds' | 'phaseCpuSeconds'): Sample => paired(list.map((result) => result[metric]), bare.map((result) => result[metric]));
    figures[mode] = {
      seconds: sample(list.map((result) => result.seconds)),
      cpuSeconds: sample(list.map((result) => result.cpuSeconds)),
      overSeconds: over('phaseSeconds'),
      overCpuSeconds: over('phaseCpuSeconds'),
      rssMb: sample(list.map((result) => result.maxRssMb)),
      docsBytes: list[list.length - 1]?.docsBytes ?? 0,
      outputBytes: list[list.length - 1]?.outputBytes ?? 0,
      engineSeconds: sample(list.map((result) => result.engineSeconds)),
      engineWarmSeconds: sample(list.map((result) => result.engineWarmSeconds)),
      gateWorkSeconds: sample(list.map((result) => result.gateWorkSeconds ?? 0)),
      findings: list[list.length - 1]?.findings,
      failure: list.find((result) => result.failure)?.failure,
    };
  }
  return {
    framework,
    resources,
    stacks: results.bare?.[0]?.stacks ?? 0,
    runs,
    gateMode,
    modes: figures,
    bareOutdir: path.join(WORK_DIR, `${framework}-${resources}-bare`, framework === 'cdk' ? 'cdk.out' : 'cdktf.out'),
  };
}

/**
 * One gated synthesis under `node --cpu-prof`, summarized under the gate's
 * entry point (CDK: `validate`; CDKTF: `judge`): where the gate's own time goes.
 */
export function profileGate(framework: Framework, resources: number, options: Options): ProfileSummary {
  const directory = fs.mkdtempSync(path.join(WORK_DIR, `profile-${framework}-${resources}-`));
  const environment: NodeJS.ProcessEnv = { ...process.env };
  if (framework === 'cdk' && !options.cfnValidation) environment.CDK_VALIDATION = 'false';
  const task: SynthTask = {
    kind: 'synth',
    framework,
    mode: 'gate',
    resources,
    resourcesPerStack: options.perStack,
    outdir: path.join(directory, framework === 'cdk' ? 'cdk.out' : 'cdktf.out'),
    resultFile: path.join(directory, 'result.json'),
  };
  log(`${framework} ${resources} resources: gate, profiled`);
  runWorker<SynthResult>(task, environment, ['--cpu-prof', `--cpu-prof-dir=${path.join(directory, 'profiles')}`]);
  try {
    return summarizeProfile(mainProfile(path.join(directory, 'profiles')), framework === 'cdk' ? 'validate' : 'judge');
  } finally {
    if (!options.keep) fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** The CLI on a synthesized output, as CI runs it: a fresh process, startup included; median of `runs`. */
export function measureCli(outdir: string, runs: number): CliFigures {
  const report = path.join(WORK_DIR, 'cli-report.json');
  const rssFile = path.join(WORK_DIR, 'cli-rss.txt');
  const withTime = fs.existsSync(TIME_COMMAND);
  const command = withTime ? TIME_COMMAND : process.execPath;
  const args = [CLI, 'check', outdir, '--policy', 'eu', '--format', 'json', '--output', report];
  const seconds: number[] = [];
  const rssMb: number[] = [];
  let exitCode: number | null = null;
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, withTime ? ['-o', rssFile, '-f', '%M', process.execPath, ...args] : args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    exitCode = result.status;
    if (result.status !== 0 && result.status !== 1) log(`warning: llm-guardrail check ${path.relative(ROOT, outdir)} exited ${result.status}: ${(result.stderr ?? '').trim().split('\n')[0]}`);
    // GNU time writes the peak RSS in kilobytes as the last line.
    const rssKb = withTime && fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN;
    if (Number.isFinite(rssKb)) rssMb.push(rssKb / 1024);
  }
  return { seconds: sample(seconds).median, rssMb: rssMb.length > 0 ? sample(rssMb).median : undefined, exitCode };
}

/** The package's entry points, with what each must not load. */
function entryPoints(): { entry: string; framework: Framework | 'engine'; forbidden: string[] }[] {
  const cdktfModules = [`${path.sep}node_modules${path.sep}cdktf${path.sep}`, `${path.sep}node_modules${path.sep}@cdktf${path.sep}`];
  const cdkModules = [`${path.sep}node_modules${path.sep}aws-cdk-lib${path.sep}`];
  const candidates: { entry: string; framework: Framework | 'engine'; forbidden: string[] }[] = [
    { entry: 'lib/index', framework: 'engine', forbidden: [...cdktfModules, ...cdkModules] },
    { entry: 'aspects/cdk', framework: 'cdk', forbidden: cdktfModules },
    { entry: 'constructs/aws/index', framework: 'cdk', forbidden: cdktfModules },
    { entry: 'aspects/cdktf', framework: 'cdktf', forbidden: cdkModules },
    { entry: 'constructs/azure/index', framework: 'cdktf', forbidden: cdkModules },
    { entry: 'constructs/google/index', framework: 'cdktf', forbidden: cdkModules },
  ];
  return candidates.filter((candidate) => fs.existsSync(path.join(DIST, `${candidate.entry}.js`)));
}

export function measureImports(options: Options): ImportFigures[] {
  const runs = options.runs;
  return entryPoints().map(({ entry, framework, forbidden }) => {
    const results: ImportResult[] = [];
    for (let run = 0; run < runs; run++) {
      log(`import ${entry}: run ${run + 1}/${runs}`);
      const task: ImportTask = { kind: 'import', module: path.join(DIST, `${entry}.js`), forbidden, resultFile: path.join(WORK_DIR, 'import.result.json') };
      results.push(runWorker<ImportResult>(task, process.env));
    }
    const last = results[results.length - 1];
    return {
      entry,
      framework,
      seconds: sample(results.map((result) => result.seconds)),
      rssDeltaMb: sample(results.map((result) => result.rssDeltaMb)),
      modules: last.modules,
      packages: last.packages,
      forbiddenLoaded: last.forbiddenLoaded,
      forbiddenCount: last.forbiddenCount,
    };
  });
}

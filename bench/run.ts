/**
 * `npm run bench`: what the compliance gate costs compared with bare
 * synthesis, on generated CDK and CDKTF apps of growing size, next to cdk-nag's
 * AwsSolutions pack; plus the CLI `check` on the same outputs and the import
 * cost of each entry point. Every measurement runs in a fresh Node.js process
 * (bench/worker.ts, compiled to dist/bench/worker.js).
 *
 *   npm run bench                        CDK 1,000/10,000/50,000, CDKTF 1,000/10,000
 *   npm run bench -- --quick             1,000 resources, one run each (smoke test)
 *   npm run -s bench -- --json           one JSON object on stdout instead of the table
 *                                        (-s keeps npm's own banner off stdout)
 *
 * See `--help` for the rest, and BENCHMARKS.md for the figures and the method.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { DEFAULT_RESOURCES_PER_STACK } from './apps';
import type { Framework, ImportResult, ImportTask, SynthMode, SynthResult, SynthTask } from './worker';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const WORKER = path.join(DIST, 'bench', 'worker.js');
const CLI = path.join(DIST, 'bin', 'llm-guardrail.js');
const WORK_DIR = path.join(ROOT, '.bench');
const TIME_COMMAND = '/usr/bin/time';
/** Heap limit of every worker: the 50,000-resource CDK app outgrows Node's default. Same for bare and gated runs. */
const WORKER_HEAP_MB = 8192;

const USAGE = `Usage: npm run bench -- [options]

  --quick                  1,000 resources per framework, one run each
  --runs <n>               runs per measurement (default 3)
  --large-runs <n>         runs for apps of more than 10,000 resources (default 1)
  --cdk-sizes <list>       CDK app sizes, comma-separated, or none (default 1000,10000,50000)
  --cdktf-sizes <list>     CDKTF app sizes, or none (default 1000,10000)
  --per-stack <n>          resources per stack (default ${DEFAULT_RESOURCES_PER_STACK})
  --no-engine              skip the runs that time the engine alone after bare synthesis
  --no-cdk-nag             skip cdk-nag (and the empty validation plugin measured next to it)
  --no-docs-split          skip the gated runs with the data-flow documentation turned off
  --cfn-validation         keep aws-cdk-lib's built-in CloudFormation validation on (off by default, see BENCHMARKS.md)
  --no-build               use dist/ as it is (default: compile with \`tsc -p .\` first)
  --json                   print one JSON object instead of the table
  --markdown <file>        also write the results as Markdown (e.g. BENCHMARKS.md)
  --keep                   keep the synthesized outputs in .bench/`;

interface Options {
  readonly runs: number;
  readonly largeRuns: number;
  readonly cdkSizes: readonly number[];
  readonly cdktfSizes: readonly number[];
  readonly perStack: number;
  readonly engine: boolean;
  readonly cdkNag: boolean;
  readonly docsSplit: boolean;
  readonly cfnValidation: boolean;
  readonly build: boolean;
  readonly json: boolean;
  readonly markdown?: string;
  readonly keep: boolean;
}

/** Median and spread of one quantity over the runs. */
interface Sample {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

interface ModeFigures {
  readonly seconds: Sample;
  readonly cpuSeconds: Sample;
  /**
   * This mode minus the bare run of the same round, in wall and CPU seconds.
   * Modes take turns within a round, so pairing them cancels the machine's
   * drift between rounds, which a difference of two medians keeps.
   */
  readonly overSeconds: Sample;
  readonly overCpuSeconds: Sample;
  readonly rssMb: Sample;
  readonly engineSeconds: Sample;
  readonly gateWorkSeconds: Sample;
  readonly findings?: { readonly errors: number; readonly warnings: number };
  readonly failure?: string;
}

interface SizeFigures {
  readonly framework: Framework;
  readonly resources: number;
  readonly stacks: number;
  readonly runs: number;
  /** `gate` when the package's gate ran, `engine` when the engine was timed after bare synthesis instead. */
  readonly gateMode: 'gate' | 'engine';
  readonly modes: Partial<Record<SynthMode, ModeFigures>>;
  /** The bare output kept for the CLI run. */
  readonly bareOutdir: string;
}

interface CliFigures {
  readonly seconds: number;
  readonly rssMb?: number;
  readonly exitCode: number | null;
}

/** One entry point's import runs: time and RSS growth summarized over the runs, the rest as the worker reported it. */
interface ImportFigures extends Pick<ImportResult, 'modules' | 'packages' | 'forbiddenLoaded' | 'forbiddenCount'> {
  readonly entry: string;
  readonly framework: Framework | 'engine';
  readonly seconds: Sample;
  readonly rssDeltaMb: Sample;
}

interface Machine {
  readonly cpuModel: string;
  readonly cpus: number;
  readonly memoryGb: number;
  readonly node: string;
  readonly platform: string;
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd?: readonly number[];
  readonly date: string;
}

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      'large-runs': { type: 'string' },
      'cdk-sizes': { type: 'string' },
      'cdktf-sizes': { type: 'string' },
      'per-stack': { type: 'string' },
      'no-engine': { type: 'boolean', default: false },
      'no-cdk-nag': { type: 'boolean', default: false },
      'no-docs-split': { type: 'boolean', default: false },
      'cfn-validation': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      markdown: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return undefined;
  }
  const count = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number, found "${raw}" (e.g. --${name} 3)`);
    return value;
  };
  const sizes = (name: string, raw: string | undefined, fallback: number[]): number[] =>
    raw === undefined ? fallback : raw.trim() === '' || raw === 'none' ? [] : raw.split(',').map((part) => count(name, part.trim(), 0));
  const quick = values.quick;
  return {
    runs: count('runs', values.runs, quick ? 1 : 3),
    largeRuns: count('large-runs', values['large-runs'], 1),
    cdkSizes: sizes('cdk-sizes', values['cdk-sizes'], quick ? [1000] : [1000, 10000, 50000]),
    cdktfSizes: sizes('cdktf-sizes', values['cdktf-sizes'], quick ? [1000] : [1000, 10000]),
    perStack: count('per-stack', values['per-stack'], DEFAULT_RESOURCES_PER_STACK),
    engine: !values['no-engine'],
    cdkNag: !values['no-cdk-nag'],
    docsSplit: !values['no-docs-split'],
    cfnValidation: values['cfn-validation'],
    build: !values['no-build'],
    json: values.json,
    markdown: values.markdown,
    keep: values.keep,
  };
}

function log(message: string): void {
  // Progress goes to stderr so that `--json` output stays one object.
  process.stderr.write(`${message}\n`);
}

function build(options: Options): void {
  if (!options.build) return;
  log('compiling with tsc -p . …');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT], { cwd: ROOT, encoding: 'utf8' });
  // tsc still writes JavaScript when some file has a type error; the benchmark only needs its own files and the gates.
  if (result.status !== 0) log(`warning: tsc reported errors (benchmarking what was emitted):\n${(result.stdout ?? '').split('\n').slice(0, 5).join('\n')}`);
  for (const file of [WORKER, CLI]) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing after compiling (fix: run \`npx tsc -p .\` and look at its errors)`);
  }
}

function machine(): Machine {
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

function runWorker<T>(task: SynthTask | ImportTask, environment: NodeJS.ProcessEnv): T {
  fs.rmSync(task.resultFile, { force: true });
  const result = spawnSync(process.execPath, [`--max-old-space-size=${WORKER_HEAP_MB}`, WORKER, JSON.stringify(task)], {
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

function sample(values: readonly number[]): Sample {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

function gateAvailable(framework: Framework): boolean {
  return fs.existsSync(path.join(DIST, 'aspects', framework === 'cdk' ? 'cdk.js' : 'cdktf.js'));
}

function measureSize(framework: Framework, resources: number, options: Options): SizeFigures {
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
    const paired = (metric: 'seconds' | 'cpuSeconds'): Sample => sample(list.map((result, round) => result[metric] - (bare[round]?.[metric] ?? NaN)));
    figures[mode] = {
      seconds: sample(list.map((result) => result.seconds)),
      cpuSeconds: sample(list.map((result) => result.cpuSeconds)),
      overSeconds: paired('seconds'),
      overCpuSeconds: paired('cpuSeconds'),
      rssMb: sample(list.map((result) => result.maxRssMb)),
      engineSeconds: sample(list.map((result) => result.engineSeconds)),
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

/** The CLI on a synthesized output, as CI runs it: a fresh process, startup included; median of `runs`. */
function measureCli(outdir: string, runs: number): CliFigures {
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

function measureImports(options: Options): ImportFigures[] {
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

interface Results {
  readonly machine: Machine;
  readonly options: Options;
  readonly sizes: readonly SizeFigures[];
  readonly cli: { readonly [key: string]: CliFigures };
  readonly imports: readonly ImportFigures[];
}

/** The JSON shape promised by the performance issue, with a few extra fields. */
function toJson(results: Results): object {
  const round = (value: number | undefined, digits = 3): number | undefined => (value === undefined ? undefined : Math.round(value * 10 ** digits) / 10 ** digits);
  const gateOf = (size: SizeFigures): ModeFigures | undefined => size.modes[size.gateMode];
  const bareGate = (size: SizeFigures): object => ({
    resources: size.resources,
    stacks: size.stacks,
    runs: size.runs,
    bareSeconds: round(size.modes.bare?.seconds.median),
    gateSeconds: round(gateOf(size)?.seconds.median),
    bareRssMb: round(size.modes.bare?.rssMb.median, 1),
    gateRssMb: round(gateOf(size)?.rssMb.median, 1),
    gateMode: size.gateMode,
    bareSpreadSeconds: [round(size.modes.bare?.seconds.min), round(size.modes.bare?.seconds.max)],
    gateSpreadSeconds: [round(gateOf(size)?.seconds.min), round(gateOf(size)?.seconds.max)],
    bareCpuSeconds: round(size.modes.bare?.cpuSeconds.median),
    gateCpuSeconds: round(gateOf(size)?.cpuSeconds.median),
    gateOverheadSeconds: round(gateOf(size)?.overSeconds.median),
    gateOverheadCpuSeconds: round(gateOf(size)?.overCpuSeconds.median),
    engineSeconds: round(size.modes.engine?.engineSeconds.median),
    gateWorkSeconds: size.gateMode === 'gate' ? round(gateOf(size)?.gateWorkSeconds.median) : undefined,
    gateWithoutDocsSeconds: round(size.modes['gate-without-docs']?.seconds.median),
    gateWithoutDocsCpuSeconds: round(size.modes['gate-without-docs']?.cpuSeconds.median),
    gateWithoutDocsRssMb: round(size.modes['gate-without-docs']?.rssMb.median, 1),
    gateFindings: gateOf(size)?.findings,
  });
  return {
    cdk: results.sizes
      .filter((size) => size.framework === 'cdk')
      .map((size) => ({
        ...bareGate(size),
        cdkNagSeconds: round(size.modes['cdk-nag']?.seconds.median),
        cdkNagRssMb: round(size.modes['cdk-nag']?.rssMb.median, 1),
        cdkNagCpuSeconds: round(size.modes['cdk-nag']?.cpuSeconds.median),
        cdkNagOverheadCpuSeconds: round(size.modes['cdk-nag']?.overCpuSeconds.median),
        emptyPluginSeconds: round(size.modes['empty-plugin']?.seconds.median),
        emptyPluginCpuSeconds: round(size.modes['empty-plugin']?.cpuSeconds.median),
        emptyPluginOverheadCpuSeconds: round(size.modes['empty-plugin']?.overCpuSeconds.median),
      })),
    cdktf: results.sizes.filter((size) => size.framework === 'cdktf').map(bareGate),
    cliSeconds: Object.fromEntries(Object.entries(results.cli).map(([key, figures]) => [key, round(figures.seconds)])),
    cliRssMb: Object.fromEntries(Object.entries(results.cli).map(([key, figures]) => [key, round(figures.rssMb, 1)])),
    importSeconds: Object.fromEntries(results.imports.map((figures) => [figures.entry, round(figures.seconds.median)])),
    importRssDeltaMb: Object.fromEntries(results.imports.map((figures) => [figures.entry, round(figures.rssDeltaMb.median, 1)])),
    importIsolation: Object.fromEntries(results.imports.map((figures) => [figures.entry, { forbiddenLoaded: figures.forbiddenCount, packages: figures.packages }])),
    machine: results.machine,
    cdkBuiltinCloudFormationValidation: results.options.cfnValidation,
  };
}

/** A verdict on one target: the measured value, the limit and whether it holds. */
interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function checkTargets(results: Results): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const framework of ['cdk', 'cdktf'] as const) {
    const sizes = results.sizes.filter((size) => size.framework === framework);
    // Time targets are judged on CPU seconds (steadier on a shared machine); wall seconds are shown next to them.
    const median = (size: SizeFigures, mode: SynthMode, metric: 'cpuSeconds' | 'seconds'): number => size.modes[mode]?.[metric].median ?? NaN;
    // What a mode adds: the median of its per-round differences from the bare run (see ModeFigures).
    const added = (size: SizeFigures, mode: SynthMode, metric: 'cpuSeconds' | 'seconds'): number => size.modes[mode]?.[metric === 'cpuSeconds' ? 'overCpuSeconds' : 'overSeconds'].median ?? NaN;
    const overhead = (size: SizeFigures, metric: 'cpuSeconds' | 'seconds'): number => added(size, size.gateMode, metric);
    const reference = sizes.find((size) => size.resources === 10000) ?? sizes[sizes.length - 1];
    if (!reference) continue;
    const bareCpu = median(reference, 'bare', 'cpuSeconds');
    const bareWall = median(reference, 'bare', 'seconds');
    const gateCpu = overhead(reference, 'cpuSeconds');
    const gateWall = overhead(reference, 'seconds');
    const engine = reference.modes.engine?.engineSeconds.median;
    const own = reference.gateMode === 'gate' ? reference.modes.gate?.gateWorkSeconds.median : undefined;
    checks.push({
      target: `${framework} ${reference.resources}: gate overhead ≤ 10% of bare synthesis`,
      measured: `CPU ${gateCpu.toFixed(2)} s of ${bareCpu.toFixed(2)} s = ${percent(gateCpu / bareCpu)}; wall ${gateWall.toFixed(2)} s of ${bareWall.toFixed(2)} s = ${percent(gateWall / bareWall)}${
        engine !== undefined ? `; engine alone ${engine.toFixed(2)} s = ${percent(engine / bareWall)} of bare wall` : ''
      }${own !== undefined ? `; gate's own work ${own.toFixed(2)} s = ${percent(own / bareWall)}` : ''}`,
      met: Number.isFinite(gateCpu) ? gateCpu / bareCpu <= 0.1 : undefined,
    });
    if (reference.modes['gate-without-docs']) {
      const withoutDocsCpu = added(reference, 'gate-without-docs', 'cpuSeconds');
      const withoutDocsWall = added(reference, 'gate-without-docs', 'seconds');
      checks.push({
        target: `${framework} ${reference.resources}: the same, data-flow documentation off`,
        measured: `CPU ${withoutDocsCpu.toFixed(2)} s = ${percent(withoutDocsCpu / bareCpu)}; wall ${withoutDocsWall.toFixed(2)} s = ${percent(withoutDocsWall / bareWall)}`,
        met: Number.isFinite(withoutDocsCpu) ? withoutDocsCpu / bareCpu <= 0.1 : undefined,
      });
    }
    if (framework === 'cdk' && reference.modes['cdk-nag']) {
      const nagCpu = added(reference, 'cdk-nag', 'cpuSeconds');
      const nagWall = added(reference, 'cdk-nag', 'seconds');
      const factor = (nag: number, gate: number): string => (gate <= 0 ? 'gate within noise' : `${(nag / gate).toFixed(1)}×`);
      checks.push({
        target: `cdk ${reference.resources}: gate overhead ≥ 10× smaller than cdk-nag AwsSolutions'`,
        measured: `CPU: cdk-nag adds ${nagCpu.toFixed(2)} s, the gate ${gateCpu.toFixed(2)} s (${factor(nagCpu, gateCpu)}); wall: ${nagWall.toFixed(2)} s vs ${gateWall.toFixed(2)} s (${factor(nagWall, gateWall)})`,
        met: Number.isFinite(nagCpu) ? gateCpu <= 0 || nagCpu / gateCpu >= 10 : undefined,
      });
      if (reference.modes['empty-plugin']) {
        const emptyCpu = added(reference, 'empty-plugin', 'cpuSeconds');
        const emptyWall = added(reference, 'empty-plugin', 'seconds');
        checks.push({
          target: `cdk ${reference.resources}: for comparison, what aws-cdk-lib adds for any validation plugin (one that checks nothing)`,
          measured: `CPU ${emptyCpu.toFixed(2)} s = ${percent(emptyCpu / bareCpu)} of bare, ${percent(emptyCpu / nagCpu)} of cdk-nag's overhead; wall ${emptyWall.toFixed(2)} s`,
          met: undefined,
        });
      }
      if (reference.modes['gate-without-docs']) {
        const withoutDocsCpu = added(reference, 'gate-without-docs', 'cpuSeconds');
        const withoutDocsWall = added(reference, 'gate-without-docs', 'seconds');
        checks.push({
          target: `cdk ${reference.resources}: the same, data-flow documentation off`,
          measured: `CPU: ${nagCpu.toFixed(2)} s vs ${withoutDocsCpu.toFixed(2)} s (${factor(nagCpu, withoutDocsCpu)}); wall: ${nagWall.toFixed(2)} s vs ${withoutDocsWall.toFixed(2)} s (${factor(nagWall, withoutDocsWall)})`,
          met: Number.isFinite(nagCpu) ? withoutDocsCpu <= 0 || nagCpu / withoutDocsCpu >= 10 : undefined,
        });
      }
    }
    const smallest = sizes[0];
    const largest = sizes[sizes.length - 1];
    if (smallest && largest && smallest !== largest) {
      const perResource = (size: SizeFigures, metric: 'cpuSeconds' | 'seconds'): number => (overhead(size, metric) / size.resources) * 1e6;
      const small = perResource(smallest, 'cpuSeconds');
      const large = perResource(largest, 'cpuSeconds');
      checks.push({
        target: `${framework}: overhead per resource at ${largest.resources} within 1.5× of ${smallest.resources}`,
        measured: `CPU ${large.toFixed(1)} µs vs ${small.toFixed(1)} µs = ${(large / small).toFixed(2)}×; wall ${perResource(largest, 'seconds').toFixed(1)} µs vs ${perResource(smallest, 'seconds').toFixed(1)} µs`,
        met: Number.isFinite(large / small) ? large <= 0 || large <= Math.max(small, 0) * 1.5 : undefined,
      });
    }
    for (const size of sizes) {
      const bareRss = size.modes.bare?.rssMb.median ?? NaN;
      for (const mode of [size.gateMode, 'gate-without-docs'] as const) {
        const gateRss = size.modes[mode]?.rssMb.median;
        if (gateRss === undefined) continue;
        checks.push({
          target: `${framework} ${size.resources}: peak RSS overhead ≤ 15%${mode === 'gate-without-docs' ? ', data-flow documentation off' : ''}`,
          measured: `${gateRss.toFixed(0)} MB vs ${bareRss.toFixed(0)} MB = ${percent((gateRss - bareRss) / bareRss)}`,
          met: Number.isFinite(bareRss) ? (gateRss - bareRss) / bareRss <= 0.15 : undefined,
        });
      }
    }
  }
  const unwanted = { engine: 'AWS CDK or CDKTF', cdk: 'CDKTF', cdktf: 'AWS CDK' };
  for (const figures of results.imports) {
    checks.push({
      target: `importing ${figures.entry} loads no ${unwanted[figures.framework]} module`,
      measured: figures.forbiddenCount === 0 ? 'none loaded' : `${figures.forbiddenCount} loaded, e.g. ${figures.forbiddenLoaded[0]}`,
      met: figures.forbiddenCount === 0,
    });
  }
  return checks;
}

function fixed(value: number | undefined, digits = 2): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

function spread(sample: Sample | undefined, digits = 2): string {
  if (!sample) return '–';
  return sample.min === sample.max ? fixed(sample.median, digits) : `${fixed(sample.median, digits)} (${fixed(sample.min, digits)}–${fixed(sample.max, digits)})`;
}

function synthTable(results: Results): string[] {
  const lines = [
    '| framework | resources | stacks | runs | bare s | gate s | gate overhead (CPU s, paired) | gate own work s | gate without docs s | engine alone s | cdk-nag s | empty plugin s | bare CPU s | gate CPU s | bare RSS MB | gate RSS MB | cdk-nag RSS MB | gate findings |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const size of results.sizes) {
    const bare = size.modes.bare;
    const gate = size.modes[size.gateMode];
    const nag = size.modes['cdk-nag'];
    const engine = size.modes.engine;
    const overhead = bare && gate ? gate.overCpuSeconds.median : undefined;
    const findings = gate?.findings ? `${gate.findings.errors} errors, ${gate.findings.warnings} warnings` : gate?.failure ? `failed: ${gate.failure}` : '–';
    lines.push(
      `| ${size.framework} | ${size.resources} | ${size.stacks} | ${size.runs} | ${spread(bare?.seconds)} | ${spread(gate?.seconds)}${size.gateMode === 'engine' ? ' (engine)' : ''} | ${
        overhead === undefined || !bare ? '–' : `${fixed(overhead)} s (${percent(overhead / bare.cpuSeconds.median)})`
      } | ${size.gateMode === 'gate' ? fixed(gate?.gateWorkSeconds.median) : '–'} | ${spread(size.modes['gate-without-docs']?.seconds)} | ${fixed(engine?.engineSeconds.median)} | ${spread(nag?.seconds)} | ${spread(size.modes['empty-plugin']?.seconds)} | ${fixed(bare?.cpuSeconds.median)} | ${fixed(gate?.cpuSeconds.median)} | ${fixed(bare?.rssMb.median, 0)} | ${fixed(gate?.rssMb.median, 0)} | ${fixed(nag?.rssMb.median, 0)} | ${findings} |`,
    );
  }
  return lines;
}

function render(results: Results): string {
  const { machine: host } = results;
  const lines: string[] = [];
  lines.push(`- Machine: ${host.cpuModel}, ${host.cpus} CPUs, ${host.memoryGb} GB, Node.js ${host.node}, ${host.platform}`);
  lines.push(`- Load average at start ${host.loadAverageStart.join(' / ')}, at end ${host.loadAverageEnd?.join(' / ') ?? '–'} (1/5/15 min); ${host.date}`);
  lines.push(`- aws-cdk-lib built-in CloudFormation validation: ${results.options.cfnValidation ? 'on' : 'off (CDK_VALIDATION=false)'}`);
  lines.push('');
  lines.push('### ' + 'Synthesis (seconds: median (min–max) of wall time to build and synthesize the app, gate or cdk-nag included)', '');
  lines.push(...synthTable(results));
  lines.push('');
  lines.push('### ' + 'CLI `llm-guardrail check <out> --policy eu --format json` on the bare output (fresh process, startup included)', '');
  lines.push('| output | seconds | peak RSS MB | exit code |', '|---|---:|---:|---:|');
  for (const [key, figures] of Object.entries(results.cli)) lines.push(`| ${key} | ${fixed(figures.seconds)} | ${fixed(figures.rssMb, 0)} | ${figures.exitCode ?? '–'} |`);
  lines.push('');
  lines.push('### ' + 'Import cost of each entry point (fresh process)', '');
  lines.push('| entry point | seconds | RSS growth MB | modules | aws-cdk-lib | cdktf | provider-azurerm | provider-google |', '|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const figures of results.imports) {
    const count = (name: string): number => figures.packages[name] ?? 0;
    lines.push(
      `| ${figures.entry} | ${spread(figures.seconds, 3)} | ${fixed(figures.rssDeltaMb.median, 1)} | ${figures.modules} | ${count('aws-cdk-lib')} | ${count('cdktf')} | ${count('@cdktf/provider-azurerm')} | ${count('@cdktf/provider-google')} |`,
    );
  }
  lines.push('');
  lines.push('### ' + 'Targets', '');
  lines.push('| target | measured | met |', '|---|---|---|');
  for (const check of checkTargets(results)) lines.push(`| ${check.target} | ${check.measured} | ${check.met === undefined ? '–' : check.met ? 'yes' : 'NO'} |`);
  return lines.join('\n') + '\n';
}

function main(): number {
  const options = parseOptions(process.argv.slice(2));
  if (!options) return 0;
  build(options);
  fs.mkdirSync(WORK_DIR, { recursive: true });
  const host = machine();

  const sizes: SizeFigures[] = [];
  const cli: { [key: string]: CliFigures } = {};
  // Smallest apps first, so an interrupted run still has the sizes the targets compare.
  const plan = [...options.cdkSizes.map((resources) => ({ framework: 'cdk' as const, resources })), ...options.cdktfSizes.map((resources) => ({ framework: 'cdktf' as const, resources }))];
  plan.sort((a, b) => a.resources - b.resources);
  for (const { framework, resources } of plan) sizes.push(measureSize(framework, resources, options));
  sizes.sort((a, b) => a.framework.localeCompare(b.framework) || a.resources - b.resources);
  for (const size of sizes) {
    log(`llm-guardrail check ${size.framework} ${size.resources}`);
    cli[`${size.framework}-${size.resources}`] = measureCli(size.bareOutdir, size.runs);
  }
  const imports = measureImports(options);
  const results: Results = { machine: { ...host, loadAverageEnd: os.loadavg().map((value) => Math.round(value * 100) / 100) }, options, sizes, cli, imports };

  const table = render(results);
  if (options.json) process.stdout.write(JSON.stringify(toJson(results)) + '\n');
  else process.stdout.write(table);
  if (options.markdown) writeMarkdown(path.resolve(options.markdown), markdown(results, table));
  if (!options.keep) fs.rmSync(WORK_DIR, { recursive: true, force: true });
  return 0;
}

/** Heading of the hand-written part of BENCHMARKS.md (profiles, analysis): kept when the figures are regenerated. */
const NOTES_HEADING = '\n## Notes\n';

function writeMarkdown(file: string, generated: string): void {
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const notesAt = previous.indexOf(NOTES_HEADING);
  fs.writeFileSync(file, notesAt >= 0 ? `${generated}${previous.slice(notesAt)}` : generated);
}

/** BENCHMARKS.md: how the figures were made, then the figures. */
function markdown(results: Results, table: string): string {
  const { options } = results;
  return `# Benchmarks

What the compliance gate costs on top of synthesis. Generated by
\`npm run bench -- --markdown BENCHMARKS.md\` (bench/run.ts); rerun it on your
machine rather than trusting these numbers blindly.

## Method

- **Apps** (bench/apps.ts), ${options.perStack} resources per stack, all pinned
  to EU locations and written to pass the \`eu\` preset, so the gate evaluates
  every rule and synthesis completes:
  - AWS CDK (aws-cdk-lib 2.276): KMS keys, KMS-encrypted S3 audit-log buckets
    with a 400-day lifecycle, encrypted log groups for audit and prompt logs
    kept 400 days, IAM roles allowed \`bedrock:InvokeModel\` on an eu-central-1
    foundation model through a private endpoint (role + policy), and
    unrelated SQS queues and SNS topics; once per app a bedrock-runtime VPC
    endpoint, a multi-region CloudTrail trail and model-invocation logging.
  - CDK for Terraform (cdktf 0.21, providers imported by deep path): stacks
    alternate between Azure (OpenAI accounts with customer-managed keys,
    regional deployments, Log Analytics workspaces, diagnostic settings,
    storage accounts) and Google (CMEK Vertex AI endpoints, log buckets,
    storage buckets, Pub/Sub topics).
- **Runs**: each measurement is a fresh Node.js process (bench/worker.ts), with
  \`--max-old-space-size=${WORKER_HEAP_MB}\` for all of them. Modes take turns
  within each round, each round starting with the next mode. ${options.runs} runs per size up to 10,000 resources,
  ${options.largeRuns} above; the tables give the median and (min–max).
- **Timed**: building the construct tree and synthesizing it, including
  importing and enabling the gate or cdk-nag (the framework's own import is
  timed apart). *Gate* is the package's gate (\`ComplianceGate\` for CDK,
  \`CdktfGuardrail\` for CDKTF), enabled through bench/gates.ts; *engine alone*
  is a separate run that synthesizes bare and then times \`loadInput\` +
  \`evaluate\` over the output in the same process.
- **cdk-nag** 3 with \`Validations.of(app).addPlugins(new AwsSolutionsChecks(app))\`
  on the same app; it finds violations, so its synthesis ends with a failed
  validation (after doing all the work).
- **Empty plugin**: a validation plugin that checks nothing and reports
  success. aws-cdk-lib does work of its own for any registered plugin (it
  builds a \`ConstructTree\` of the app, resolving every logical id, for its
  report), so this is the floor under any plugin-based gate, ours and cdk-nag's.
- **aws-cdk-lib's built-in CloudFormation validation** (2.276 checks every
  template against the resource schemas in WebAssembly at synthesis) is
  ${options.cfnValidation ? '**on**, as shipped' : '**off** (`CDK_VALIDATION=false`)'}. With it on,
  bare synthesis of 1,000 resources takes several times longer, which would
  make the gate's share look smaller than it is; \`--cfn-validation\` turns it on.
- **Gate own work**: time inside the gate's entry point alone (CDK: the
  plugin's \`validate\`; CDKTF: the per-stack \`judge\`, which renders the
  stack's Terraform JSON that cdktf then writes without rendering it again),
  measured in the gated runs (bench/gates.ts). It does not include what
  registering any validation plugin costs aws-cdk-lib itself.
- **Gate without docs**: the gate with \`dataFlowDocs: false\`, to separate
  the data-flow documentation (Markdown and JSON, as synthesis writes them by
  default) from the checks.
- **Overhead** of a mode is the median, over the rounds, of its difference
  from the bare run of the same round (paired): modes take turns within a
  round, so pairing cancels the machine's drift between rounds.
- **Targets** on time are judged on the CPU seconds; the wall-time
  figures are shown next to them. On a shared machine wall time mostly
  measures the other tenants.
- **Peak RSS**: \`process.resourceUsage().maxRSS\` at the end of the worker.
- **CPU seconds**: user + system time of the timed part; steadier than wall
  time when other work shares the machine.
- **Imports**: \`require\` of each compiled entry point in a fresh process:
  time, RSS growth, modules loaded per framework package.

## Results

${table}`;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
}

/**
 * One measurement in a fresh Node.js process, so that module caches, JIT
 * warm-up and heap growth of one run never help another. The parent
 * (bench/run.ts) starts the compiled form of this file with a task as JSON
 * and reads the result from the file the task names: synthesis may print a
 * long validation report on stdout and stderr.
 *
 *   node dist/bench/worker.js '<task JSON>'
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildCdkApp, buildCdktfApp } from './apps';
import { FindingCount, cdkGateAvailable, cdktfGateAvailable, enableCdkGate, enableCdktfGate, gateWorkSeconds, loadEngine } from './gates';

export type Framework = 'cdk' | 'cdktf';

/**
 * `bare`: synthesis only. `gate`: synthesis with the package's gate enabled.
 * `gate-without-docs`: the same, with the data-flow documentation turned off.
 * `engine`: bare synthesis, then the engine over the output in the same
 * process (what a gate costs, when the gate itself is missing). `cdk-nag`:
 * synthesis with cdk-nag's AwsSolutions pack (CDK only). `empty-plugin`:
 * synthesis with a validation plugin that checks nothing (CDK only): what
 * aws-cdk-lib itself adds for any validation plugin, the gate's and cdk-nag's alike.
 */
export type SynthMode = 'bare' | 'gate' | 'gate-without-docs' | 'engine' | 'cdk-nag' | 'empty-plugin';

export interface SynthTask {
  readonly kind: 'synth';
  readonly framework: Framework;
  readonly mode: SynthMode;
  readonly resources: number;
  readonly resourcesPerStack: number;
  /** Where synthesis writes (`cdk.out` / `cdktf.out`); emptied first. */
  readonly outdir: string;
  readonly resultFile: string;
}

export interface ImportTask {
  readonly kind: 'import';
  /** Absolute path of the compiled entry point. */
  readonly module: string;
  /** Substrings of module paths the entry point must not load. */
  readonly forbidden: readonly string[];
  readonly resultFile: string;
}

export type WorkerTask = SynthTask | ImportTask;

export interface SynthResult {
  /** Seconds to build the app and synthesize it, plus enabling and running the gate or cdk-nag (their import included). */
  readonly seconds: number;
  /** CPU seconds (user + system) of the same work: steadier than wall time on a busy machine. */
  readonly cpuSeconds: number;
  /** Seconds to import the framework (aws-cdk-lib or cdktf), not part of `seconds`. */
  readonly frameworkImportSeconds: number;
  readonly buildSeconds: number;
  readonly synthSeconds: number;
  /**
   * Wall and CPU seconds from the moment the app's constructs exist to the
   * end: enabling the gate (its import included) or the plugin, synthesis, and
   * the engine in mode `engine`. Building the constructs is the same code in
   * every mode, so what a mode adds is measured over this part only: the
   * noise of building (about half of the total) stays out of the difference.
   */
  readonly phaseSeconds: number;
  readonly phaseCpuSeconds: number;
  /** Seconds the engine took after synthesis (mode `engine` only). */
  readonly engineSeconds: number;
  /**
   * Seconds the engine took on the same output the third time in the same
   * process (mode `engine` only): the code compiled and the heap grown. Next to
   * `engineSeconds` it tells what the engine's work costs from what a cold
   * start of its code costs. Taken after every other figure of the run.
   */
  readonly engineWarmSeconds: number;
  /** Seconds inside the gate's own entry point (gated modes only; see gateWorkSeconds in bench/gates.ts). */
  readonly gateWorkSeconds: number;
  /** Peak resident set size of the process. */
  readonly maxRssMb: number;
  readonly stacks: number;
  /** Findings the gate (or engine) reported, when it ran. */
  readonly findings?: FindingCount;
  /** Bytes of the data-flow documentation written at synthesis (data-flow.md, .json, .html). */
  readonly docsBytes: number;
  /** Bytes of the synthesized templates (`*.template.json`, `cdk.tf.json`): what the documentation documents. */
  readonly outputBytes: number;
  /** First line of the error synthesis ended with (a failed validation, for cdk-nag). */
  readonly failure?: string;
}

export interface ImportResult {
  readonly seconds: number;
  /** Growth of the resident set size caused by the import. */
  readonly rssDeltaMb: number;
  readonly maxRssMb: number;
  /** Modules loaded by the import (files in require.cache). */
  readonly modules: number;
  /** Modules loaded per package of interest (aws-cdk-lib, cdktf, the two providers). */
  readonly packages: { readonly [name: string]: number };
  /** Loaded modules that match a forbidden substring (at most 5 shown). */
  readonly forbiddenLoaded: readonly string[];
  readonly forbiddenCount: number;
}

const MEGABYTE = 1024 * 1024;

/** Packages whose modules an import is counted against: the frameworks and the two providers. */
export const WATCHED_PACKAGES = ['aws-cdk-lib', 'cdktf', '@cdktf/provider-azurerm', '@cdktf/provider-google'] as const;

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** process.resourceUsage().maxRSS is in kilobytes. */
function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function startPhase(): { readonly wall: bigint; readonly cpu: NodeJS.CpuUsage } {
  return { wall: process.hrtime.bigint(), cpu: process.cpuUsage() };
}

function runSynth(task: SynthTask): SynthResult {
  fs.rmSync(task.outdir, { recursive: true, force: true });
  // cdktf creates only the last level of its output directory.
  fs.mkdirSync(path.dirname(task.outdir), { recursive: true });
  const shape = { resources: task.resources, resourcesPerStack: task.resourcesPerStack };
  let failure: string | undefined;
  let engineSeconds = 0;
  let engineWarmSeconds = 0;
  let findings: FindingCount | undefined;

  const importStart = process.hrtime.bigint();
  const framework = task.framework === 'cdk' ? (require('aws-cdk-lib') as typeof import('aws-cdk-lib')) : undefined;
  const terraform = task.framework === 'cdktf' ? (require('cdktf') as typeof import('cdktf')) : undefined;
  const frameworkImportSeconds = seconds(importStart);

  const gated = task.mode === 'gate' || task.mode === 'gate-without-docs';
  const gateOptions = { dataFlowDocs: task.mode === 'gate' };
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let synth: () => void;
  let stacks: number;
  let phase = startPhase();
  if (framework) {
    // As `cdk synth` runs an app: the CLI turns construct-path metadata on in every template (--path-metadata, on by default).
    const app = new framework.App({ outdir: task.outdir, context: { 'aws:cdk:enable-path-metadata': true } });
    buildCdkApp(app, shape);
    phase = startPhase();
    // Enabled after the stacks exist, as an app's entry file does it last.
    if (gated) enableCdkGate(app, gateOptions);
    if (task.mode === 'empty-plugin') {
      framework.Validations.of(app).addPlugins({ name: 'empty', validate: () => ({ success: true, violations: [] }) });
    }
    if (task.mode === 'cdk-nag') {
      const { AwsSolutionsChecks } = require('cdk-nag') as typeof import('cdk-nag');
      framework.Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    }
    stacks = app.node.children.filter((child) => framework.Stack.isStack(child)).length;
    synth = () => void app.synth();
  } else if (terraform) {
    if (task.mode === 'cdk-nag' || task.mode === 'empty-plugin') throw new Error(`${task.mode} runs on CDK apps only`);
    const app = new terraform.App({ outdir: task.outdir, skipValidation: true });
    buildCdktfApp(app, shape);
    phase = startPhase();
    // Enabled after the stacks exist, as an app's entry file does it last.
    if (gated) enableCdktfGate(app, gateOptions);
    stacks = app.node.children.filter((child) => terraform.TerraformStack.isStack(child)).length;
    synth = () => app.synth();
  } else {
    throw new Error(`unknown framework ${String(task.framework)}`);
  }
  const buildSeconds = seconds(start);

  const synthStart = process.hrtime.bigint();
  try {
    synth();
  } catch (error) {
    failure = String((error as Error).message ?? error).split('\n')[0].slice(0, 300);
  }
  const synthSeconds = seconds(synthStart);

  if (task.mode === 'engine' && failure === undefined) {
    const runEngine = loadEngine();
    const engineStart = process.hrtime.bigint();
    findings = runEngine(task.outdir);
    engineSeconds = seconds(engineStart);
  }
  const total = seconds(start);
  const cpu = process.cpuUsage(cpuStart);
  const phaseCpu = process.cpuUsage(phase.cpu);
  const phaseSeconds = seconds(phase.wall);
  if (gated) findings = findingsInReports(task.outdir);
  const { docsBytes, outputBytes } = outputSizes(task.outdir);
  const maxRss = maxRssMb();
  if (task.mode === 'engine' && failure === undefined) {
    const runEngine = loadEngine();
    for (let round = 0; round < 3; round++) {
      const warmStart = process.hrtime.bigint();
      runEngine(task.outdir);
      engineWarmSeconds = seconds(warmStart);
    }
  }
  return { seconds: total, cpuSeconds: (cpu.user + cpu.system) / 1e6, phaseSeconds, phaseCpuSeconds: (phaseCpu.user + phaseCpu.system) / 1e6, frameworkImportSeconds, buildSeconds, synthSeconds, engineSeconds, engineWarmSeconds, gateWorkSeconds: gateWorkSeconds(), maxRssMb: maxRss, stacks, findings, docsBytes, outputBytes, failure };
}

/** Sizes of the documentation and of the templates under an output directory (measured after the timed part). */
function outputSizes(outdir: string): { docsBytes: number; outputBytes: number } {
  let docsBytes = 0;
  let outputBytes = 0;
  const walk = (directory: string): void => {
    if (!fs.existsSync(directory)) return;
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^data-flow\.(md|json|html)$/.test(entry.name)) docsBytes += fs.statSync(full).size;
      else if (entry.name.endsWith('.template.json') || entry.name === 'cdk.tf.json') outputBytes += fs.statSync(full).size;
    }
  };
  walk(outdir);
  return { docsBytes, outputBytes };
}

/** Sums the findings of every report the gate wrote into the output directory. */
function findingsInReports(outdir: string): FindingCount | undefined {
  const reports: string[] = [];
  const walk = (directory: string): void => {
    if (!fs.existsSync(directory)) return;
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'llm-guardrail-report.json') reports.push(full);
    }
  };
  walk(outdir);
  if (reports.length === 0) return undefined;
  let errors = 0;
  let warnings = 0;
  for (const file of reports) {
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { summary?: { errors?: number; warnings?: number } };
    errors += report.summary?.errors ?? 0;
    warnings += report.summary?.warnings ?? 0;
  }
  return { errors, warnings };
}

function runImport(task: ImportTask): ImportResult {
  const before = new Set(Object.keys(require.cache));
  const rssBefore = process.memoryUsage().rss;
  const start = process.hrtime.bigint();
  require(task.module);
  const elapsed = seconds(start);
  const rssDeltaMb = (process.memoryUsage().rss - rssBefore) / MEGABYTE;
  const loaded = Object.keys(require.cache).filter((file) => !before.has(file));
  const forbidden = loaded.filter((file) => task.forbidden.some((pattern) => file.includes(pattern)));
  const packages: { [name: string]: number } = {};
  for (const name of WATCHED_PACKAGES) packages[name] = loaded.filter((file) => file.includes(`${path.sep}node_modules${path.sep}${name}${path.sep}`)).length;
  return {
    seconds: elapsed,
    rssDeltaMb,
    packages,
    maxRssMb: maxRssMb(),
    modules: loaded.length,
    forbiddenLoaded: forbidden.slice(0, 5).map((file) => path.relative(process.cwd(), file)),
    forbiddenCount: forbidden.length,
  };
}

function main(): void {
  const task = JSON.parse(process.argv[2] ?? '{}') as WorkerTask;
  if (task.kind === 'synth' && (task.mode === 'gate' || task.mode === 'gate-without-docs')) {
    const available = task.framework === 'cdk' ? cdkGateAvailable() : cdktfGateAvailable();
    if (!available) throw new Error(`no ${task.framework} gate has been built (fix: run the benchmark in "engine" mode, or build the gate with \`npx tsc -p tsconfig.bench.json\`)`);
  }
  const result = task.kind === 'synth' ? runSynth(task) : runImport(task);
  fs.writeFileSync(task.resultFile, JSON.stringify(result));
}

main();

/**
 * `npm run bench`: what the compliance gate costs compared with bare
 * synthesis, on generated CDK and CDKTF apps of growing size, next to cdk-nag's
 * AwsSolutions pack; plus the CLI `check` on the same outputs and the import
 * cost of each entry point. Every measurement runs in a fresh Node.js process
 * (bench/worker.ts, compiled to .bench/dist/bench/worker.js).
 *
 *   npm run bench                        CDK 1,000/10,000/50,000, CDKTF 1,000/10,000
 *   npm run bench -- --quick             1,000 resources, one run each (smoke test)
 *   npm run -s bench -- --json           one JSON object on stdout instead of the table
 *                                        (-s keeps npm's own banner off stdout)
 *
 * See `--help` for the rest, and BENCHMARKS.md for the figures and the method.
 * This file reads the options and runs the steps: bench/measure.ts measures,
 * bench/report.ts renders the tables and the JSON.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { DEFAULT_RESOURCES_PER_STACK } from './apps';
import { WORK_DIR, build, log, machine, measureCli, measureImports, measureSize, profileGate } from './measure';
import { profileMarkdown } from './profile';
import { markdown, render, toJson, writeMarkdown } from './report';
import type { CliFigures, Options, Results, SizeFigures } from './results';

const USAGE = `Usage: npm run bench -- [options]

  --quick                  1,000 resources per framework, one run each
  --runs <n>               runs per measurement (default 5: the median of five paired rounds holds against a busy machine)
  --large-runs <n>         runs for apps of more than 10,000 resources (default 1)
  --cdk-sizes <list>       CDK app sizes, comma-separated, or none (default 1000,10000,50000)
  --cdktf-sizes <list>     CDKTF app sizes, or none (default 1000,10000)
  --per-stack <n>          resources per stack (default ${DEFAULT_RESOURCES_PER_STACK})
  --no-engine              skip the runs that time the engine alone after bare synthesis
  --no-cdk-nag             skip cdk-nag (and the empty validation plugin measured next to it)
  --no-docs-split          skip the gated runs with the data-flow documentation turned off
  --cfn-validation         keep aws-cdk-lib's built-in CloudFormation validation on (off by default, see BENCHMARKS.md)
  --no-build               use .bench/dist/ as it is (default: compile with \`tsc -p tsconfig.bench.json\` first)
  --json                   print one JSON object instead of the table
  --markdown <file>        also write the results as Markdown (e.g. BENCHMARKS.md)
  --keep                   keep the synthesized outputs in .bench/
  --profile <fw>:<n>       instead of measuring, profile one gated synthesis (cdk or cdktf, n resources) with
                           node --cpu-prof and print where the gate's time goes, by part and by function (Markdown)`;

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
      profile: { type: 'string' },
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
  let profile: Options['profile'];
  if (values.profile !== undefined) {
    const match = /^(cdk|cdktf):(\d+)$/.exec(values.profile);
    if (!match || Number(match[2]) < 1) throw new Error(`--profile must be <cdk|cdktf>:<resources>, found "${values.profile}" (e.g. --profile cdktf:10000)`);
    profile = { framework: match[1] as 'cdk' | 'cdktf', resources: Number(match[2]) };
  }
  return {
    ...(profile ? { profile } : {}),
    runs: count('runs', values.runs, quick ? 1 : 5),
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

function main(): number {
  const options = parseOptions(process.argv.slice(2));
  if (!options) return 0;
  build(options);
  fs.mkdirSync(WORK_DIR, { recursive: true });
  if (options.profile) {
    const { framework, resources } = options.profile;
    process.stdout.write(profileMarkdown(profileGate(framework, resources, options), `${framework === 'cdk' ? 'CDK' : 'CDKTF'} gate, ${resources.toLocaleString('en-US')} resources`) + '\n');
    return 0;
  }
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
  // The measurements' outputs go; the compiled benchmark (dist/, with its incremental build state) stays for the next run.
  if (!options.keep) for (const entry of fs.readdirSync(WORK_DIR)) if (entry !== 'dist') fs.rmSync(path.join(WORK_DIR, entry), { recursive: true, force: true });
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
}

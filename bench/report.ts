/**
 * The figures of a run as text: the tables printed on stdout and written to
 * BENCHMARKS.md (keeping its hand-written notes), and the JSON of `--json`.
 */
import * as fs from 'fs';
import { WORKER_HEAP_MB } from './measure';
import type { ModeFigures, Results, SizeFigures } from './results';
import type { Sample } from './stats';
import { checkTargets, percent } from './targets';

/** The JSON shape promised by the performance issue, with a few extra fields. */
export function toJson(results: Results): object {
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
    engineWarmSeconds: round(size.modes.engine?.engineWarmSeconds.median),
    gateWorkSeconds: size.gateMode === 'gate' ? round(gateOf(size)?.gateWorkSeconds.median) : undefined,
    gateWithoutDocsSeconds: round(size.modes['gate-without-docs']?.seconds.median),
    gateWithoutDocsCpuSeconds: round(size.modes['gate-without-docs']?.cpuSeconds.median),
    gateWithoutDocsRssMb: round(size.modes['gate-without-docs']?.rssMb.median, 1),
    gateFindings: gateOf(size)?.findings,
    docsBytes: gateOf(size)?.docsBytes,
    outputBytes: gateOf(size)?.outputBytes,
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

function fixed(value: number | undefined, digits = 2): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

function spread(sample: Sample | undefined, digits = 2): string {
  if (!sample) return '–';
  return sample.min === sample.max ? fixed(sample.median, digits) : `${fixed(sample.median, digits)} (${fixed(sample.min, digits)}–${fixed(sample.max, digits)})`;
}

function synthTable(results: Results): string[] {
  const lines = [
    '| framework | resources | stacks | runs | bare s | gate s | gate overhead (CPU s, paired) | gate own work s | gate without docs s | engine alone s | engine, third run s | cdk-nag s | empty plugin s | bare CPU s | gate CPU s | bare RSS MB | gate RSS MB | cdk-nag RSS MB | gate findings |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
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
      } | ${size.gateMode === 'gate' ? fixed(gate?.gateWorkSeconds.median) : '–'} | ${spread(size.modes['gate-without-docs']?.seconds)} | ${fixed(engine?.engineSeconds.median)} | ${fixed(engine?.engineWarmSeconds.median)} | ${spread(nag?.seconds)} | ${spread(size.modes['empty-plugin']?.seconds)} | ${fixed(bare?.cpuSeconds.median)} | ${fixed(gate?.cpuSeconds.median)} | ${fixed(bare?.rssMb.median, 0)} | ${fixed(gate?.rssMb.median, 0)} | ${fixed(nag?.rssMb.median, 0)} | ${findings} |`,
    );
  }
  return lines;
}

export function render(results: Results): string {
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

/** Heading of the hand-written part of BENCHMARKS.md (profiles, analysis): kept when the figures are regenerated. */
const NOTES_HEADING = '\n## Notes\n';

export function writeMarkdown(file: string, generated: string): void {
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const notesAt = previous.indexOf(NOTES_HEADING);
  fs.writeFileSync(file, notesAt >= 0 ? `${generated}${previous.slice(notesAt)}` : generated);
}

/** BENCHMARKS.md: how the figures were made, then the figures. */
export function markdown(results: Results, table: string): string {
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
    Synthesized with construct-path metadata on, as \`cdk synth\` runs an app
    (its \`--path-metadata\` is on by default).
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
  is a separate run that synthesizes bare, loads the engine's modules and then
  times \`loadInput\` + \`evaluate\` over the output in the same process;
  *engine, third run* is the same work done twice more in that process, the
  third timed: the engine's code compiled and optimized, and the heap grown.
  The difference between the two is what a cold start of the engine's code
  costs, which every synthesis pays once.
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
- **Gate own work**: wall time inside the gate's entry point alone (CDK: the
  plugin's \`validate\`; CDKTF: the per-stack \`judge\`, less cdktf's own
  rendering of the stack's Terraform JSON, which the gate asks for and cdktf's
  writer then reuses instead of rendering it again), measured in the gated
  runs (bench/gates.ts). It does not include what registering any validation
  plugin costs aws-cdk-lib itself, nor the work the garbage collector and the
  compiler do on other threads meanwhile (the CPU overhead does).
- **Gate without docs**: the gate with \`dataFlowDocs: false\`, to separate
  the data-flow documentation (Markdown and JSON, as synthesis writes them by
  default) from the checks.
- **Overhead** of a mode is the median, over the rounds, of its difference
  from the bare run of the same round (paired): modes take turns within a
  round, so pairing cancels the machine's drift between rounds. The
  difference is taken over the part where modes differ — from the moment the
  app's constructs exist (enabling the gate or plugin, its import included,
  and synthesis) — since building the constructs is the same code in every
  mode and only adds noise; percentages are of the whole bare run.
- **Documentation size**: bytes of \`data-flow.md\` and \`data-flow.json\` the
  gate wrote, next to the bytes of the templates they document.
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

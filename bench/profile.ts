/**
 * Where the gate's time goes: one gated synthesis in a worker run with
 * `node --cpu-prof`, summarized by function and by part of the package under
 * the gate's entry point (CDK: the validation plugin's `validate`; CDKTF: the
 * per-stack `judge`). `npm run bench -- --profile cdktf:10000` prints it as
 * Markdown for BENCHMARKS.md.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The parts of a V8 `.cpuprofile` the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }; readonly children?: readonly number[] }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileLine {
  /** `functionName file:line`, the file relative to the package or to node_modules. */
  readonly name: string;
  /** Milliseconds in the function and what it calls (each sample counted once per function). */
  readonly inclusiveMs: number;
  /** Milliseconds in the function itself. */
  readonly selfMs: number;
}

export interface ProfileSummary {
  /** The entry point the summary is under. */
  readonly root: string;
  /** Milliseconds under the entry point. */
  readonly totalMs: number;
  /** Self time by part: the framework's rendering, the rules and facts, the documentation, reading, garbage collection, … */
  readonly parts: readonly { readonly part: string; readonly ms: number }[];
  readonly functions: readonly ProfileLine[];
}

/** Which part of the work a source file belongs to, by its path. */
const PARTS: readonly (readonly [RegExp, string])[] = [
  [/node_modules\/(cdktf|aws-cdk-lib|constructs)\//, 'framework (rendering, tokens)'],
  [/\/lib\/docs\//, 'data-flow documentation'],
  [/\/lib\/(engine|rules|analysis|catalogs|policy)\//, 'rules and facts'],
  // JSON parsing lives in lib/core, next to the graph and values the readers build.
  [/\/lib\/input\/|\/lib\/core\/(json-text|graph|values)\.|\/aspects\/cdk-templates\./, 'reading the synthesized output'],
  [/\/lib\/(gate|reports|core)\/|\/aspects\//, 'gate (report, acknowledgements, annotations)'],
];

function partOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  return PARTS.find(([pattern]) => pattern.test(url))?.[1] ?? 'other (Node.js, file system)';
}

function nameOf(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const file = frame.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '').replace(/.*\/(\.bench\/dist|dist)\//, '');
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
}

/** Inclusive and self time by function, and self time by part, of the samples under frames named `root`. */
export function summarizeProfile(profile: CpuProfile, root: string, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const sampled = new Map<number, number>();
  profile.samples.forEach((id, index) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  const parts = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of sampled) {
    const chain: CpuProfile['nodes'][number][] = [];
    let rooted = false;
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const node = byId.get(current)!;
      chain.push(node);
      if (node.callFrame.functionName === root) {
        rooted = true;
        break;
      }
    }
    if (!rooted) continue;
    total += micros;
    const leaf = chain[0].callFrame;
    self.set(nameOf(leaf), (self.get(nameOf(leaf)) ?? 0) + micros);
    const part = partOf(leaf.url, leaf.functionName);
    parts.set(part, (parts.get(part) ?? 0) + micros);
    // A recursive function counts once per sample.
    for (const name of new Set(chain.map((node) => nameOf(node.callFrame)))) inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
  }
  const ms = (micros: number): number => Math.round(micros / 100) / 10;
  return {
    root,
    totalMs: ms(total),
    parts: [...parts].sort((a, b) => b[1] - a[1]).map(([part, micros]) => ({ part, ms: ms(micros) })),
    functions: [...inclusive]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, inclusiveMs: ms(micros), selfMs: ms(self.get(name) ?? 0) })),
  };
}

/** The summary as Markdown: parts, then the functions by inclusive time. */
export function profileMarkdown(summary: ProfileSummary, title: string): string {
  const share = (value: number): string => (summary.totalMs > 0 ? `${Math.round((value / summary.totalMs) * 100)}%` : '–');
  return [
    `#### ${title}`,
    '',
    `${summary.totalMs} ms under \`${summary.root}\` (CPU samples of one run).`,
    '',
    '| part (self time) | ms | share |',
    '|---|---:|---:|',
    ...summary.parts.map((entry) => `| ${entry.part} | ${entry.ms} | ${share(entry.ms)} |`),
    '',
    '| function | inclusive ms | self ms |',
    '|---|---:|---:|',
    ...summary.functions.map((line) => `| \`${line.name.replace(/\|/g, '\\|')}\` | ${line.inclusiveMs} | ${line.selfMs} |`),
    '',
  ].join('\n');
}

/** The largest `.cpuprofile` of a directory: the main thread's (workers write small ones). */
export function mainProfile(directory: string): CpuProfile {
  const files = fs.readdirSync(directory).filter((file) => file.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no .cpuprofile was written to ${directory} (fix: check that the worker ran with --cpu-prof)`);
  const largest = files.map((file) => path.join(directory, file)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  return JSON.parse(fs.readFileSync(largest, 'utf8')) as CpuProfile;
}

/**
 * The summary `npm run bench -- --profile` prints: time under the gate's entry
 * point, by part of the package and by function, from a V8 CPU profile.
 */
import { CpuProfile, profileMarkdown, summarizeProfile } from '../bench/profile';

/** main → judge → (toTerraform, evaluate → rule, writeMarkdown); main → idle, outside the gate. */
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: 'main', url: 'file:///app/bench/worker.js', lineNumber: 0 }, children: [2, 7] },
    { id: 2, callFrame: { functionName: 'judge', url: 'file:///app/.bench/dist/aspects/cdktf.js', lineNumber: 191 }, children: [3, 4, 6] },
    { id: 3, callFrame: { functionName: 'toTerraform', url: 'file:///app/node_modules/cdktf/lib/terraform-stack.js', lineNumber: 246 } },
    { id: 4, callFrame: { functionName: 'evaluate', url: 'file:///app/.bench/dist/lib/engine/evaluate.js', lineNumber: 97 }, children: [5] },
    { id: 5, callFrame: { functionName: 'check', url: 'file:///app/.bench/dist/lib/rules/common/res-001/rule.js', lineNumber: 17 } },
    { id: 6, callFrame: { functionName: 'writeMarkdown', url: 'file:///app/.bench/dist/lib/docs/markdown.js', lineNumber: 21 } },
    { id: 7, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
  ],
  samples: [3, 3, 5, 4, 6, 7, 7, 7],
  timeDeltas: [1000, 1000, 2000, 500, 1500, 9000, 9000, 9000],
};

describe('bench --profile summary', () => {
  const summary = summarizeProfile(PROFILE, 'judge');

  test('THEN only the samples under the entry point count, by part of the package', () => {
    expect(summary.totalMs).toBe(6);
    expect(summary.parts).toEqual([
      { part: 'rules and facts', ms: 2.5 },
      { part: 'framework (rendering, tokens)', ms: 2 },
      { part: 'data-flow documentation', ms: 1.5 },
    ]);
  });

  test('THEN functions carry inclusive and self time, largest first, named by package-relative file and line', () => {
    expect(summary.functions.slice(0, 3)).toEqual([
      { name: 'judge aspects/cdktf.js:192', inclusiveMs: 6, selfMs: 0 },
      { name: 'evaluate lib/engine/evaluate.js:98', inclusiveMs: 2.5, selfMs: 0.5 },
      { name: 'toTerraform cdktf/lib/terraform-stack.js:247', inclusiveMs: 2, selfMs: 2 },
    ]);
  });

  test('THEN the Markdown has a table of parts with shares and one of functions', () => {
    const markdown = profileMarkdown(summary, 'CDKTF gate, 10 resources');
    expect(markdown).toContain('6 ms under `judge`');
    expect(markdown).toContain('| rules and facts | 2.5 | 42% |');
    expect(markdown).toContain('| `check lib/rules/common/res-001/rule.js:18` | 2 | 2 |');
  });
});

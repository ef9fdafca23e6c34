import type { Report } from '../engine/evaluate';

/** The report as JSON for tools: `{ findings, suppressed, suppressions, notInspected, summary, policy }`. */
export function renderJson(report: Report): string {
  const { findings, suppressed, suppressions, notInspected, summary, policy } = report;
  return JSON.stringify({ findings, suppressed, suppressions, notInspected, summary, policy }, null, 2) + '\n';
}

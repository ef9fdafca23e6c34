import { isTerraformSource } from '../core/graph';
import { printable } from '../core/printable';
import type { Finding, Report } from '../engine/evaluate';

export interface TextOptions {
  /** Use ANSI colours (only on a terminal). @default false */
  readonly color?: boolean;
}

/** Findings grouped by stack and resource, for people. Text from the input is escaped: it cannot act on the terminal or forge a log line. */
export function renderText(report: Report, options: TextOptions = {}): string {
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const red = (text: string): string => paint('31', text);
  const yellow = (text: string): string => paint('33', text);
  const dim = (text: string): string => paint('2', text);
  const bold = (text: string): string => paint('1', text);
  const lines: string[] = [];

  // One root cause repeated on many resources (the same statement shape in nine roles) is one entry, listing them.
  const repeated = repeatedFindings(report.findings);
  for (const group of repeated) {
    const [first] = group;
    const label = first.severity === 'error' ? red('error  ') : yellow('warning');
    const shown = group.slice(0, REPEATED_LIST_LIMIT).map((finding) => printable(finding.resource.path ?? `${finding.resource.stack}/${finding.resource.id}`));
    lines.push(bold(`${first.ruleId} on ${group.length} resources (${first.resource.type})`));
    lines.push(`  ${label} ${first.ruleId} ${printable(first.message)}`);
    lines.push(dim(`  the same finding on: ${shown.join(', ')}${group.length > shown.length ? `, and ${group.length - shown.length} more (every one is in the JSON report)` : ''}`));
    lines.push('');
  }
  const inGroups = new Set(repeated.flat());

  const groups = new Map<string, Finding[]>();
  for (const finding of report.findings.filter((candidate) => !inGroups.has(candidate))) {
    const key = `${finding.resource.stack}\u0000${finding.resource.path ?? finding.resource.id}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(finding);
  }
  for (const [key, findings] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const [stack, where] = key.split('\u0000');
    const first = findings[0].resource;
    // Construct paths already start with the stack name; repeat it only when they do not.
    const inStack = stack && where !== stack && !where.startsWith(`${stack}/`) ? `${stack}: ` : '';
    lines.push(bold(printable(`${inStack}${where}`)) + dim(printable(` (${first.type}${first.path && first.path !== first.id ? `, ${first.id}` : ''})`)));
    if (first.source) lines.push(dim(printable(`  ${isTerraformSource(first.source.file) ? 'declared' : 'created'} at ${first.source.file}:${first.source.line}${first.source.column !== undefined ? `:${first.source.column}` : ''}`)));
    for (const finding of findings) {
      const label = finding.severity === 'error' ? red('error  ') : yellow('warning');
      lines.push(`  ${label} ${finding.ruleId} ${printable(finding.message)}`);
    }
    lines.push('');
  }
  if (report.suppressed.length > 0) {
    lines.push(bold('Acknowledged findings'));
    for (const finding of report.suppressed) {
      lines.push(`  ${dim('ack    ')} ${finding.ruleId} ${printable(`${finding.resource.path ?? finding.resource.id}: ${finding.suppression.reason} (until ${finding.suppression.expires})`)}`);
    }
    lines.push('');
  }
  if (report.suppressions.length > 0) {
    lines.push(bold('Acknowledgements'));
    for (const entry of report.suppressions) {
      lines.push(printable(`  ${entry.ruleId} ${entry.resource} — ${entry.status}, ${entry.matched} finding(s), until ${entry.expires}: ${entry.reason}`));
    }
    lines.push('');
  }
  const notFailing = report.notInspected.filter((entry) => !report.findings.some((finding) => finding.ruleId === 'LCG-COV-001' && finding.resource.stack === entry.resource.stack && finding.resource.id === entry.resource.id));
  if (notFailing.length > 0) {
    lines.push(bold('Not inspected (no rule reads these types; listed, not failing under this policy)'));
    const byType = new Map<string, number>();
    for (const entry of notFailing) byType.set(`${entry.resource.type} (${entry.family})`, (byType.get(`${entry.resource.type} (${entry.family})`) ?? 0) + 1);
    for (const [type, count] of [...byType].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) lines.push(`  ${count.toString().padStart(4)} × ${printable(type)}`);
    lines.push('');
  }
  const { errors, warnings, suppressed, resources, stacks, rules, cannotVerify, judged, outOfScope, notInspected } = report.summary;
  const verdict = errors > 0 ? red(bold('FAIL')) : bold('PASS');
  lines.push(
    `${verdict} ${errors} error(s), ${warnings} warning(s), ${suppressed} acknowledged${cannotVerify > 0 ? `, ${cannotVerify} could not be verified` : ''} — ${resources} resource(s) in ${stacks} stack(s): ${judged} judged, ${outOfScope} out of scope, ${notInspected} not inspected; ${rules} rule(s), policy ${printable(report.policy.name)}`,
  );
  return lines.join('\n') + '\n';
}

/** How many resources a finding must repeat on to be reported once; and how many of them the entry names. */
const REPEATED_MIN = 3;
const REPEATED_LIST_LIMIT = 10;

/**
 * Findings of one rule that differ only in the resource: the same type, the
 * same expectation, fix and value found (statement positions aside). Groups
 * of at least {@link REPEATED_MIN}, largest first.
 */
function repeatedFindings(findings: readonly Finding[]): Finding[][] {
  return groupByRootCause(findings.filter((finding) => finding.resource.type !== 'acknowledgement'))
    .filter((group) => group.length >= REPEATED_MIN)
    .sort((a, b) => b.length - a.length || (a[0].ruleId < b[0].ruleId ? -1 : 1));
}

/**
 * Findings grouped by root cause, in order of first appearance: one rule,
 * one resource type, the same expectation, fix and value found (statement
 * positions aside) — the same mistake repeated on several resources.
 */
export function groupByRootCause<T extends Finding>(findings: readonly T[]): T[][] {
  const byCause = new Map<string, T[]>();
  for (const finding of findings) {
    const found = finding.found.replace(/\[\d+\]/g, '[*]');
    const key = [finding.ruleId, finding.severity, finding.resource.type, finding.expected, finding.fix, found, finding.cannotVerify].join('\u0000');
    let list = byCause.get(key);
    if (!list) byCause.set(key, (list = []));
    list.push(finding);
  }
  return [...byCause.values()];
}


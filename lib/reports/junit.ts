import type { Report } from '../engine/evaluate';
import { ALL_RULES } from '../rules';

/** JUnit XML for CI dashboards: one test suite per rule, one test case per rule × resource. */
export function renderJunit(report: Report): string {
  const findingsByCheck = new Map<string, string[]>();
  for (const finding of report.findings) {
    const key = `${finding.ruleId}\u0000${finding.resource.stack}\u0000${finding.resource.id}`;
    let list = findingsByCheck.get(key);
    if (!list) findingsByCheck.set(key, (list = []));
    list.push(`[${finding.severity}] ${finding.message}`);
  }
  const suites = new Map<string, string[]>();
  let failures = 0;
  let total = 0;
  const addCase = (ruleId: string, name: string, classname: string, body: string, failed: boolean): void => {
    let cases = suites.get(ruleId);
    if (!cases) suites.set(ruleId, (cases = []));
    cases.push(`    <testcase name="${xml(name)}" classname="${xml(classname)}">${body}</testcase>`);
    total++;
    if (failed) failures++;
  };
  for (const check of report.checks) {
    const key = `${check.ruleId}\u0000${check.resource.stack}\u0000${check.resource.id}`;
    const messages = findingsByCheck.get(key) ?? [];
    findingsByCheck.delete(key);
    const name = check.resource.path ?? `${check.resource.stack}/${check.resource.id}`;
    const body =
      check.status === 'fail'
        ? `<failure message="${xml(messages[0] ?? check.ruleId)}" type="${check.ruleId}">${xml(messages.join('\n'))}</failure>`
        : check.status === 'suppressed'
          ? '<system-out>acknowledged</system-out>'
          : '';
    addCase(check.ruleId, name, `${check.ruleId}.${check.resource.type}`, body, check.status === 'fail');
  }
  // Findings without a check (acknowledgement problems) still appear.
  for (const finding of report.findings) {
    const key = `${finding.ruleId}\u0000${finding.resource.stack}\u0000${finding.resource.id}`;
    if (!findingsByCheck.has(key)) continue;
    findingsByCheck.delete(key);
    addCase(finding.ruleId, finding.resource.id, `${finding.ruleId}.${finding.resource.type}`, `<failure message="${xml(finding.message)}" type="${finding.ruleId}">${xml(finding.message)}</failure>`, finding.severity === 'error');
  }
  const titles = new Map(ALL_RULES.map((rule) => [rule.id, rule.title]));
  const body = [...suites.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ruleId, cases]) => {
      const failed = cases.filter((item) => item.includes('<failure')).length;
      return `  <testsuite name="${xml(`${ruleId} ${titles.get(ruleId) ?? ''}`.trim())}" tests="${cases.length}" failures="${failed}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="llm-compliance-guardrail" tests="${total}" failures="${failures}" errors="0">\n${body}\n</testsuites>\n`;
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

import { escapedCharacter } from '../core/printable';
import type { Finding, Report, SuppressedFinding } from '../engine/evaluate';
import { ALL_RULES } from '../rules';

interface TestCase {
  readonly name: string;
  readonly classname: string;
  /** Error-level findings: the test case fails. */
  readonly errors: readonly Finding[];
  /** Warnings and acknowledged findings: the case passes and shows them as output. */
  readonly notes: readonly string[];
}

/**
 * JUnit XML for CI dashboards: one test suite per rule, one test case per
 * rule × resource. Only error-level findings fail a test case, matching the
 * exit code; warnings and acknowledgements are shown as the case's output.
 */
export function renderJunit(report: Report): string {
  const findingsByCheck = groupByCheck(report.findings);
  const suppressedByCheck = groupByCheck(report.suppressed);
  const suites = new Map<string, TestCase[]>();
  const addCase = (ruleId: string, testCase: TestCase): void => {
    let cases = suites.get(ruleId);
    if (!cases) suites.set(ruleId, (cases = []));
    cases.push(testCase);
  };
  const toCase = (name: string, classname: string, findings: readonly Finding[], suppressed: readonly SuppressedFinding[]): TestCase => ({
    name,
    classname,
    errors: findings.filter((finding) => finding.severity === 'error'),
    notes: [
      ...findings.filter((finding) => finding.severity !== 'error').map((finding) => `[warning] ${finding.message}`),
      ...suppressed.map((finding) => `[acknowledged until ${finding.suppression.expires}] ${finding.suppression.reason} — ${finding.message}`),
    ],
  });

  for (const check of report.checks) {
    const key = checkKey(check.ruleId, check.resource);
    const name = check.resource.path ?? `${check.resource.stack}/${check.resource.id}`;
    addCase(check.ruleId, toCase(name, `${check.ruleId}.${check.resource.type}`, findingsByCheck.get(key) ?? [], suppressedByCheck.get(key) ?? []));
    findingsByCheck.delete(key);
  }
  // Findings without a check (problems with acknowledgements) still appear.
  for (const findings of findingsByCheck.values()) {
    const { ruleId, resource } = findings[0];
    addCase(ruleId, toCase(resource.id, `${ruleId}.${resource.type}`, findings, []));
  }

  // Findings carry their title too: the engine's own checks of acknowledgements are not in the registry.
  const titles = new Map([...report.findings.map((finding) => [finding.ruleId, finding.title] as const), ...ALL_RULES.map((rule) => [rule.id, rule.title] as const)]);
  let total = 0;
  let failures = 0;
  const body = [...suites.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ruleId, cases]) => {
      const failed = cases.filter((testCase) => testCase.errors.length > 0).length;
      total += cases.length;
      failures += failed;
      const suiteName = `${ruleId} ${titles.get(ruleId) ?? ''}`.trim();
      return `  <testsuite name="${xml(suiteName)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="0">\n${cases.map(renderCase).join('\n')}\n  </testsuite>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="llm-compliance-guardrail" tests="${total}" failures="${failures}" errors="0">\n${body}\n</testsuites>\n`;
}

function renderCase(testCase: TestCase): string {
  const parts: string[] = [];
  if (testCase.errors.length > 0) {
    const [first] = testCase.errors;
    parts.push(`<failure message="${xml(first.message)}" type="${xml(first.ruleId)}">${xml(testCase.errors.map((finding) => finding.message).join('\n'))}</failure>`);
  }
  if (testCase.notes.length > 0) parts.push(`<system-out>${xml(testCase.notes.join('\n'))}</system-out>`);
  return `    <testcase name="${xml(testCase.name)}" classname="${xml(testCase.classname)}">${parts.join('')}</testcase>`;
}

function checkKey(ruleId: string, resource: Finding['resource']): string {
  return `${ruleId}\u0000${resource.stack}\u0000${resource.id}`;
}

function groupByCheck<T extends Finding>(findings: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const finding of findings) {
    const key = checkKey(finding.ruleId, finding.resource);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(finding);
  }
  return groups;
}

/** Escapes text for attributes and content; characters XML 1.0 cannot carry are shown as escapes, as in the text report. */
function xml(text: string): string {
  return (
    text
      .replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char]!)
      // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, escapedCharacter)
  );
}

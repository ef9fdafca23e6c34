/**
 * Every rule's examples (lib/rules/<cloud>/<rule>/examples/*.json), run by one
 * generic test: a non-compliant example must produce this rule's finding, a
 * compliant one must make the rule run and pass, an unresolvable one must fail
 * closed with "cannot verify". A rule without all three, in every document
 * format it reads, fails the suite.
 */
import { Finding } from '../../lib/engine/evaluate';
import { runGuardrail } from '../../lib/gate/run';
import { ALL_RULES } from '../../lib/rules';
import { EXAMPLE_EXPECTATIONS, RuleExample, exampleGraph, examplePolicy, ruleExamples, ruleFolder } from '../../lib/rules/examples';
import { Rule, ruleFormats } from '../../lib/rules/rule';

const TODAY = '2026-11-25';

function judge(rule: Rule, example: RuleExample) {
  const { report } = runGuardrail(exampleGraph(example), examplePolicy(example), { rules: [rule], today: TODAY });
  const findings = report.findings.filter((finding) => finding.ruleId === rule.id);
  const passes = report.checks.filter((check) => check.ruleId === rule.id && check.status === 'pass');
  return { findings, passes };
}

function flagged(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((finding) => finding.resource.id))].sort();
}

for (const rule of ALL_RULES.filter((candidate) => !candidate.deprecated)) {
  describe(`${rule.id} ${rule.title}`, () => {
    const examples = ruleExamples(rule);

    test('lives in its own folder, and has non-compliant, compliant and unresolvable examples in each format it reads', () => {
      expect(ruleFolder(rule)).toBeDefined();
      const missing: string[] = [];
      for (const format of ruleFormats(rule)) {
        for (const expectation of EXAMPLE_EXPECTATIONS) {
          if (!examples.some((example) => example.expectation === expectation && example.formats.includes(format))) missing.push(`${expectation} (${format})`);
        }
      }
      expect(missing).toEqual([]);
    });

    for (const example of examples) {
      test(`${example.expectation}: ${example.description} (${example.file.split('/').pop()})`, () => {
        const { findings, passes } = judge(rule, example);
        switch (example.expectation) {
          case 'noncompliant': {
            const definite = findings.filter((finding) => !finding.cannotVerify);
            expect(definite.map((finding) => finding.ruleId)).toContain(rule.id);
            if (example.resources) expect(flagged(definite)).toEqual(expect.arrayContaining([...example.resources]));
            break;
          }
          case 'compliant':
            expect(findings.map((finding) => finding.message)).toEqual([]);
            expect(passes.length).toBeGreaterThan(0);
            if (example.resources) expect(passes.map((check) => check.resource.id)).toEqual(expect.arrayContaining([...example.resources]));
            break;
          case 'unresolvable': {
            const unknown = findings.filter((finding) => finding.cannotVerify);
            expect(unknown.map((finding) => finding.ruleId)).toContain(rule.id);
            if (example.resources) expect(flagged(unknown)).toEqual(expect.arrayContaining([...example.resources]));
            break;
          }
        }
        // "Cannot verify" is a structured fact of the finding, and the message says so in the same words.
        for (const finding of findings) expect(finding.message.startsWith('Cannot verify')).toBe(finding.cannotVerify);
      });
    }
  });
}

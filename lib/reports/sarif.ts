import type { Finding, Report } from '../engine/evaluate';
import { ALL_RULES } from '../rules';

const TOOL_URI = 'https://www.npmjs.com/package/llm-compliance-guardrail';

/**
 * SARIF 2.1.0 for code-scanning UIs. Results point at the synthesized
 * document; the construct path and resource id go in the logical location.
 */
export function renderSarif(report: Report, version: string): string {
  const ruleIndex = new Map(ALL_RULES.map((rule, index) => [rule.id, index]));
  const toResult = (finding: Finding, suppressed?: { reason: string; expires: string }): object => ({
    ruleId: finding.ruleId,
    ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId) } : {}),
    level: finding.severity === 'error' ? 'error' : 'warning',
    message: { text: finding.message },
    locations: [
      {
        ...(finding.resource.file ? { physicalLocation: { artifactLocation: { uri: toUri(finding.resource.file) } } } : {}),
        logicalLocations: [
          {
            name: finding.resource.id,
            fullyQualifiedName: finding.resource.path ?? `${finding.resource.stack}/${finding.resource.id}`,
            kind: 'resource',
          },
        ],
      },
    ],
    partialFingerprints: { resourceRule: `${finding.ruleId}:${finding.resource.stack}/${finding.resource.id}` },
    properties: {
      category: finding.category,
      resourceType: finding.resource.type,
      stack: finding.resource.stack,
      found: finding.found,
      expected: finding.expected,
      fix: finding.fix,
    },
    ...(suppressed ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${suppressed.reason} (until ${suppressed.expires})` }] } : {}),
  });

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'llm-compliance-guardrail',
            informationUri: TOOL_URI,
            semanticVersion: version,
            rules: ALL_RULES.map((rule) => ({
              id: rule.id,
              name: rule.title.replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').map((word) => word[0].toUpperCase() + word.slice(1)).join(''),
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.rationale },
              help: { text: rule.remediation, markdown: `**Fix:** ${rule.remediation}` },
              defaultConfiguration: { level: rule.severity === 'error' ? 'error' : 'warning' },
              properties: {
                category: rule.category,
                tags: [rule.category, ...rule.clauses.map((clause) => clause.framework)],
                frameworks: rule.clauses.map((clause) => `${clause.framework}: ${clause.clause}`),
                ...(rule.deprecated ? { deprecated: true } : {}),
              },
            })),
          },
        },
        results: [...report.findings.map((finding) => toResult(finding)), ...report.suppressed.map((finding) => toResult(finding, finding.suppression))],
        properties: { policy: report.policy, summary: report.summary },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function toUri(file: string): string {
  return file.split('\\').join('/').replace(/^\.\//, '');
}

import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Finding, Report } from '../engine/evaluate';
import { ALL_RULES } from '../rules';

const TOOL_URI = 'https://www.npmjs.com/package/llm-compliance-guardrail';

/**
 * SARIF 2.1.0 for code-scanning UIs. Results point at the synthesized
 * document; the construct path and resource id go in the logical location.
 */
export function renderSarif(report: Report, version: string): string {
  const descriptors: object[] = ALL_RULES.map((rule) => ({
    id: rule.id,
    name: pascalCase(rule.title),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: { text: rule.remediation, markdown: `**Fix:** ${rule.remediation}` },
    defaultConfiguration: { level: rule.severity === 'error' ? 'error' : 'warning' },
    properties: {
      category: rule.category,
      // SARIF wants unique tags; several clauses of one framework would repeat it.
      tags: [...new Set([rule.category, ...rule.clauses.map((clause) => clause.framework)])],
      frameworks: rule.clauses.map((clause) => `${clause.framework}: ${clause.clause}`),
      ...(rule.deprecated ? { deprecated: true } : {}),
    },
  }));
  const ruleIndex = new Map(ALL_RULES.map((rule, index) => [rule.id, index]));
  // The engine's own checks of acknowledgements are not in the registry; describe them from their findings
  // so that every result points at a rule descriptor.
  for (const finding of [...report.findings, ...report.suppressed]) {
    if (ruleIndex.has(finding.ruleId)) continue;
    ruleIndex.set(finding.ruleId, descriptors.length);
    descriptors.push({
      id: finding.ruleId,
      name: pascalCase(finding.title),
      shortDescription: { text: finding.title },
      defaultConfiguration: { level: finding.severity === 'error' ? 'error' : 'warning' },
      properties: { category: finding.category, tags: [finding.category] },
    });
  }
  const toResult = (finding: Finding, suppressed?: { reason: string; expires: string }): object => ({
    ruleId: finding.ruleId,
    ruleIndex: ruleIndex.get(finding.ruleId),
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
      cannotVerify: finding.cannotVerify,
      ...(finding.subject !== undefined ? { subject: finding.subject } : {}),
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
            rules: descriptors,
          },
        },
        results: [...report.findings.map((finding) => toResult(finding)), ...report.suppressed.map((finding) => toResult(finding, finding.suppression))],
        properties: { policy: report.policy, summary: report.summary },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** `Bedrock invoke permissions name only …` → `BedrockInvokePermissionsNameOnly…`. */
function pascalCase(title: string): string {
  return title
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word.length > 0)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

/**
 * A valid URI reference for a document path: a `file:` URL when absolute,
 * otherwise a relative reference with each segment percent-encoded (paths may
 * hold spaces or `#`, which a bare path would turn into an invalid URI).
 */
function toUri(file: string): string {
  if (path.isAbsolute(file)) return pathToFileURL(file).href;
  return file
    .split(/[\\/]/)
    .filter((segment, index) => !(index === 0 && segment === '.'))
    .map(encodeURIComponent)
    .join('/');
}

import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Finding, Report } from '../engine/evaluate';
import { isTerraformSource } from '../core/graph';
import { ALL_RULES } from '../rules';

const TOOL_URI = 'https://www.npmjs.com/package/llm-compliance-guardrail';

/** The base the artifact URIs are relative to: the directory the check ran in (the repository root in CI). */
export const SARIF_ROOT = '%SRCROOT%';

/**
 * SARIF 2.1.0 for code-scanning UIs. Results point at the synthesized
 * document (a URI relative to `%SRCROOT%`, the directory given as `root`);
 * the construct path and resource id go in the logical location; where the
 * input records which line of the app created the resource, a second
 * location points at that line. The run's properties hold the accounting:
 * how many resources were judged, out of scope or not inspected, and which.
 */
export function renderSarif(report: Report, version: string, root: string = process.cwd()): string {
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
        ...(finding.resource.file ? { physicalLocation: { artifactLocation: artifactLocation(finding.resource.file, root) } } : {}),
        logicalLocations: [
          {
            name: finding.resource.id,
            fullyQualifiedName: finding.resource.path ?? `${finding.resource.stack}/${finding.resource.id}`,
            kind: 'resource',
          },
        ],
      },
      ...(finding.resource.source
        ? [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(finding.resource.source.file, root),
                region: { startLine: finding.resource.source.line, ...(finding.resource.source.column !== undefined ? { startColumn: finding.resource.source.column } : {}) },
              },
              message: { text: `${finding.resource.path ?? finding.resource.id} is ${isTerraformSource(finding.resource.source.file) ? 'declared' : 'created'} here` },
            },
          ]
        : []),
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
        originalUriBaseIds: { [SARIF_ROOT]: { uri: directoryUri(root), description: { text: 'The directory the check ran in.' } } },
        properties: {
          policy: report.policy,
          // Every resource is judged, out of scope, or not inspected: the counts, and the resources nobody read.
          summary: report.summary,
          notInspected: report.notInspected.map((entry) => ({ ...resourceName(entry.resource), family: entry.family })),
        },
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
 * A file as a URI reference relative to the run's root, with each segment
 * percent-encoded (paths may hold spaces or `#`, which a bare path would turn
 * into an invalid URI). A file on another drive has no relative form and
 * stays an absolute `file:` URL.
 */
function artifactLocation(file: string, root: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(path.resolve(root), path.resolve(root, file));
  if (path.isAbsolute(relative)) return { uri: pathToFileURL(relative).href };
  return {
    uri: relative
      .split(/[\\/]/)
      .map(encodeURIComponent)
      .join('/'),
    uriBaseId: SARIF_ROOT,
  };
}

/** A directory as an absolute `file:` URL ending in `/`, as SARIF requires of a base URI. */
function directoryUri(directory: string): string {
  const href = pathToFileURL(path.resolve(directory)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function resourceName(resource: Finding['resource']): { id: string; type: string; stack: string; path?: string } {
  return { id: resource.id, type: resource.type, stack: resource.stack, ...(resource.path !== undefined ? { path: resource.path } : {}) };
}

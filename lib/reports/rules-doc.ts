import { FRAMEWORK_REQUIREMENTS } from '../policy/frameworks';
import { ALL_RULES } from '../rules';
import { CATEGORIES } from '../rules/rule';
import { SUPPRESSION_EXPIRED, SUPPRESSION_MALFORMED, SUPPRESSION_UNKNOWN_RULE, SUPPRESSION_UNUSED } from '../engine/evaluate';

/** RULES.md, generated from the rules' metadata so that the reference never drifts from the code. */
export function renderRulesDoc(): string {
  const lines: string[] = [
    '# Rule reference',
    '',
    '<!-- Generated from the rules\' metadata by `npm run rules-doc`; a test fails when this file is stale. -->',
    '',
    'Every rule reads the synthesized documents (CloudFormation templates, Terraform JSON or plans), never CDK or CDKTF objects,',
    'so raw resources, escape-hatch overrides and third-party constructs are judged like ours. A value the guardrail cannot',
    'resolve (a deploy-time parameter, a Terraform variable, an environment-agnostic stack) is reported as "cannot verify": the rules fail closed.',
    '',
    'Ids are permanent and never reused; a retired rule stays listed as deprecated.',
    '',
    '| Id | Severity | Category | Title |',
    '| --- | --- | --- | --- |',
  ];
  const sorted = [...ALL_RULES].sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) || a.id.localeCompare(b.id));
  for (const rule of sorted) {
    lines.push(`| [${rule.id}](#${rule.id.toLowerCase()}) | ${rule.severity} | ${rule.category} | ${rule.title}${rule.deprecated ? ' (deprecated)' : ''} |`);
  }
  lines.push('');
  for (const rule of sorted) {
    lines.push(`## ${rule.id}`, '', `**${rule.title}**${rule.deprecated ? ' — deprecated, no longer runs' : ''}`, '');
    lines.push(`- Severity: ${rule.severity}`, `- Category: ${rule.category}`);
    lines.push(`- Inspects: ${rule.resourceTypes.map((type) => (type === '*' ? 'every resource' : type === 'stack' ? 'every stack' : `\`${type}\``)).join(', ')}`);
    if (rule.clauses.length > 0) {
      lines.push(`- Frameworks: ${rule.clauses.map((clause) => `${FRAMEWORK_REQUIREMENTS[clause.framework].title} — ${clause.clause}`).join('; ')}`);
    }
    lines.push('', `Why: ${rule.rationale}`, '', `Fix: ${rule.remediation}`, '');
  }
  lines.push(
    '## Acknowledgement findings',
    '',
    'Acknowledgements (policy `suppressions`) need a rule id, a resource, a reason and an expiry date. The engine reports on them itself:',
    '',
    `- ${SUPPRESSION_EXPIRED} (error): an acknowledgement has expired; the finding it covered is back as well.`,
    `- ${SUPPRESSION_UNUSED} (warning): an acknowledgement matches no finding.`,
    `- ${SUPPRESSION_UNKNOWN_RULE} (error): an acknowledgement names a rule that does not exist.`,
    `- ${SUPPRESSION_MALFORMED} (error, cannot be acknowledged): an acknowledgement recorded in the app (ComplianceGate.acknowledge, CdktfGuardrail.acknowledge) has no valid rule id, reason or expiry date.`,
    '',
  );
  return lines.join('\n');
}

/** RULES.md, generated from the rules' metadata and examples so that the reference never drifts from the code. */
import { EXISTENCE_UNKNOWN_RULE, NOT_INSPECTED_RULE, SUPPRESSION_EXPIRED, SUPPRESSION_MALFORMED, SUPPRESSION_UNKNOWN_RULE, SUPPRESSION_UNUSED } from '../engine/evaluate';
import { FRAMEWORK_REQUIREMENTS } from '../policy/frameworks';
import { GuardrailPolicy } from '../policy/policy';
import { PRESET_BASIS, PRESETS } from '../policy/presets';
import { ALL_RULES } from '../rules';
import { RuleExample, ruleExamples } from '../rules/examples';
import { CATEGORIES, Rule, ruleApplies, ruleFormats, severityOf } from '../rules/rule';

const FORMAT_NAMES = { cloudformation: 'CloudFormation', terraform: 'Terraform JSON', declarations: 'a provider declarations file' } as const;
const EXPECTATION_NAMES = { noncompliant: 'Non-compliant', compliant: 'Compliant', unresolvable: 'Cannot verify' } as const;

/** What a rule does under each preset: its severity, or `off` when it does not run. */
function severityByPreset(rule: Rule): { preset: string; severity: string }[] {
  return Object.keys(PRESETS).map((preset) => {
    const policy = GuardrailPolicy.preset(preset);
    return { preset, severity: ruleApplies(rule, policy) ? severityOf(rule, policy) : 'off' };
  });
}

export function renderRulesDoc(): string {
  const presets = Object.keys(PRESETS);
  const lines: string[] = [
    '# Rule reference',
    '',
    '<!-- Generated from the rules\' metadata and examples by `npm run rules-doc`; a test fails when this file is stale. -->',
    '',
    'Every rule reads the synthesized documents (CloudFormation templates, Terraform JSON or plans), never CDK or CDKTF objects,',
    'so raw resources, escape-hatch overrides and third-party constructs are judged like ours. A value the guardrail cannot',
    'resolve (a deploy-time parameter, a Terraform variable, an environment-agnostic stack) is reported as "cannot verify": the rules fail closed.',
    '',
    'Ids are permanent and never reused; a retired rule stays listed as deprecated. The severity a rule reports depends on',
    `the policy: the table gives it under each preset (\`off\`: the rule does not run under that policy). Every rule's examples`,
    '(below each rule, and in its folder under `lib/rules/`) are run by the test suite.',
    '',
    `| Id | ${presets.join(' | ')} | Category | Title |`,
    `| --- | ${presets.map(() => '---').join(' | ')} | --- | --- |`,
  ];
  const sorted = [...ALL_RULES].sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) || a.id.localeCompare(b.id));
  for (const rule of sorted) {
    const severities = severityByPreset(rule).map((entry) => entry.severity);
    lines.push(`| [${rule.id}](#${rule.id.toLowerCase()}) | ${severities.join(' | ')} | ${rule.category} | ${rule.title}${rule.deprecated ? ' (deprecated)' : ''} |`);
  }
  lines.push('');
  for (const rule of sorted) {
    lines.push(`## ${rule.id}`, '', `**${rule.title}**${rule.deprecated ? ' — deprecated, no longer runs' : ''}`, '');
    lines.push(`- Severity: ${severityByPreset(rule).map(({ preset, severity }) => `${severity} under \`${preset}\``).join(', ')}`, `- Category: ${rule.category}`);
    lines.push(`- Reads: ${ruleFormats(rule).map((format) => FORMAT_NAMES[format]).join(', ')}`);
    lines.push(`- Inspects: ${rule.resourceTypes.map((type) => (type === '*' ? 'every resource' : type === 'stack' ? 'every stack' : `\`${type}\``)).join(', ')}`);
    if (rule.clauses.length > 0) {
      lines.push(`- Frameworks: ${rule.clauses.map((clause) => `${FRAMEWORK_REQUIREMENTS[clause.framework].title} — ${clause.clause}`).join('; ')}`);
    }
    lines.push('', `Why: ${rule.rationale}`, '', `Fix: ${rule.remediation}`, '');
    const examples = ruleExamples(rule);
    if (examples.length > 0) {
      lines.push('Examples:', '');
      for (const example of examples) lines.push(...renderExample(example));
      lines.push('');
    }
  }
  lines.push('## Presets', '', 'What each preset asks for, and the clause (or the choice) behind it. A requirement no framework makes is a warning until a policy file asks for it (for example `extends: eu` with `requireCustomerManagedKeys: true`).', '');
  for (const preset of presets) {
    const policy = GuardrailPolicy.preset(preset);
    lines.push(`### \`${preset}\``, '', '| Setting | Value | Why |', '| --- | --- | --- |');
    for (const [setting, basis] of Object.entries(PRESET_BASIS[preset] ?? {})) {
      lines.push(`| \`${setting}\` | ${presetValue((policy.toJSON() as unknown as { readonly [key: string]: unknown })[setting])} | ${basis} |`);
    }
    lines.push('');
  }
  lines.push(
    '## Coverage findings',
    '',
    `### ${NOT_INSPECTED_RULE.id}: ${NOT_INSPECTED_RULE.title}`,
    '',
    '- Category: coverage; severity: error under every preset',
    '- Fails, under the policy key `notInspected`: `ai-services` (the default) — a resource of an AI service no rule reads (an invented `AWS::Bedrock::FutureThing`, an `azapi_resource` of an unknown `Microsoft.CognitiveServices` type, a new `google_vertex_ai_*` type), a Terraform `module` block, a nested stack whose template the input does not hold; `all` — every resource nobody read; `none` — nothing (they are still listed).',
    '',
    `Why: ${NOT_INSPECTED_RULE.rationale}`,
    '',
    `Fix: ${NOT_INSPECTED_RULE.remediation}`,
    '',
    `### ${EXISTENCE_UNKNOWN_RULE.id}: ${EXISTENCE_UNKNOWN_RULE.title}`,
    '',
    '- Category: coverage; severity: error under every preset; Terraform directories (`llm-guardrail check <directory>`)',
    '- Fails for a resource whose `count` or `for_each` cannot be evaluated before plan (a variable with no value, a data source, a resource attribute). A resolvable `count = 0` or empty `for_each` removes the resource instead; a resolvable count or key set gives that many instances.',
    '',
    `Why: ${EXISTENCE_UNKNOWN_RULE.rationale}`,
    '',
    `Fix: ${EXISTENCE_UNKNOWN_RULE.remediation}`,
    '',
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

function presetValue(value: unknown): string {
  if (value === undefined || value === null) return '(not set)';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** One example as a collapsed block: what it shows, then the documents it judges. */
function renderExample(example: RuleExample): string[] {
  const formats = example.formats.map((format) => FORMAT_NAMES[format]).join(' and ');
  const policy = example.policy === undefined ? '' : typeof example.policy === 'string' ? ` (policy \`${example.policy}\`)` : ' (policy in the file)';
  const [single] = example.stacks;
  const shown =
    example.stacks.length === 1 && single.region === undefined && single.account === undefined
      ? single.document
      : example.stacks.map((stack) => ({ ...(stack.name ? { name: stack.name } : {}), ...(stack.region !== undefined ? { region: stack.region } : {}), ...(stack.account !== undefined ? { account: stack.account } : {}), document: stack.document }));
  return [
    `<details><summary>${EXPECTATION_NAMES[example.expectation]} (${formats})${policy}: ${escapeHtml(example.description)}</summary>`,
    '',
    `\`${example.file}\``,
    '',
    '```json',
    JSON.stringify(shown, null, 2),
    '```',
    '',
    '</details>',
  ];
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

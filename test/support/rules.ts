/** Small helpers to run one rule over an inline CloudFormation template or Terraform JSON document. */
import { resourcesFromTemplate } from '../../lib/input/cloudformation';
import { Finding, Report } from '../../lib/engine/evaluate';
import { runGuardrail } from '../../lib/gate/run';
import { ResourceGraph, StackInfo } from '../../lib/core/graph';
import { resourcesFromTerraform } from '../../lib/input/terraform';
import { Unresolved } from '../../lib/core/values';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { findRule } from '../../lib/rules';

export function cfnGraph(template: object, region: string | null = 'eu-central-1', name = 'App'): ResourceGraph {
  const stack: StackInfo = {
    name,
    format: 'cloudformation',
    file: `${name}.template.json`,
    region: region !== null ? region : new Unresolved('AWS::Region', 'the stack is environment-agnostic: set env: { region } on the stack'),
    account: '111111111111',
  };
  return new ResourceGraph([stack], resourcesFromTemplate(template, stack));
}

export function tfGraph(document: object, name = 'tf'): ResourceGraph {
  const stack: StackInfo = { name, format: 'terraform', file: `stacks/${name}/cdk.tf.json` };
  return new ResourceGraph([stack], resourcesFromTerraform(document, stack));
}

/** The eu preset with customer-managed keys required: key-management findings become errors. */
export function euWithKeys(): GuardrailPolicy {
  return GuardrailPolicy.fromSpec({ extends: 'eu', requireCustomerManagedKeys: true });
}

/** The us-hipaa preset with private network paths required: public endpoint findings become errors. */
export function hipaaPrivate(): GuardrailPolicy {
  return GuardrailPolicy.fromSpec({ extends: 'us-hipaa', requirePrivateNetwork: true });
}

/** Runs only `ruleId` and returns its report. */
export function runRule(ruleId: string, graph: ResourceGraph, policy: GuardrailPolicy | string = 'eu'): Report {
  const rule = findRule(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return runGuardrail(graph, typeof policy === 'string' ? GuardrailPolicy.preset(policy) : policy, { rules: [rule], today: '2026-11-25' }).report;
}

/** Findings of one rule. */
export function findings(ruleId: string, graph: ResourceGraph, policy: GuardrailPolicy | string = 'eu'): Finding[] {
  return [...runRule(ruleId, graph, policy).findings];
}

/** Passed checks of one rule (to prove the rule applied, not merely stayed silent). */
export function passes(ruleId: string, graph: ResourceGraph, policy: GuardrailPolicy | string = 'eu'): string[] {
  return runRule(ruleId, graph, policy)
    .checks.filter((check) => check.status === 'pass')
    .map((check) => check.resource.id);
}

/** Error findings of every rule, as `RULE path-or-id` lines: what the gate would fail the synth with. */
export function gateErrors(graph: ResourceGraph, policy: GuardrailPolicy | string = 'eu'): string[] {
  const resolved = typeof policy === 'string' ? GuardrailPolicy.preset(policy) : policy;
  return runGuardrail(graph, resolved, { today: '2026-11-25' })
    .report.findings.filter((finding) => finding.severity === 'error')
    .map((finding) => `${finding.ruleId} ${finding.resource.path ?? finding.resource.id}`);
}

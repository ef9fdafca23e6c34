import { classifyInvokeTarget, grantedModelRegionsOf, judgeInvokeTarget } from '../../../analysis/bedrock';
import { POLICY_HOLDER_TYPES, invokeGrants } from '../../../analysis/iam';
import { describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule, Violation } from '../../rule';

/**
 * IAM statements (and VPC endpoint policies) that allow bedrock:InvokeModel*
 * or bedrock:Converse* name only models in allowed regions and inference
 * profiles whose every destination region is allowed.
 */
export const bedrockInvokeResidency: ResourceRule = {
  id: 'LCG-RES-010',
  title: 'Bedrock invoke permissions name only in-jurisdiction models and inference profiles',
  category: 'residency',
  severity: 'error',
  rationale:
    'Where a prompt is processed is decided by the model ARN the caller may invoke. A foundation model in another region, a cross-region inference profile with a destination outside the jurisdiction, a global. profile, a region wildcard or "*" all let prompts leave the jurisdiction (a GDPR Chapter V transfer). A region the guardrail cannot resolve cannot be shown to comply.',
  remediation:
    'Grant invoke only on foundation-model ARNs in allowed regions (BedrockModelAccess does this) or on inference profiles whose every destination region is allowed; never on "*", region wildcards or global. profiles.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries, CLAUSES.hipaaAccessControl],
  resourceTypes: POLICY_HOLDER_TYPES,
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, context) {
    const { policy, graph } = context;
    const grants = invokeGrants(context, resource);
    if (grants.length === 0) return undefined;
    const violations: Violation[] = [];
    // A geographic profile passes when the same policy allows its model only in destination regions inside the jurisdiction.
    const grantedModelRegions = grantedModelRegionsOf(grants);
    for (const grant of grants) {
      if (grant.targets.length === 0) {
        violations.push({
          message: `${resource.type} "${resource.id}" allows ${grant.actions.join(', ')} without naming any resource.`,
          found: `${grant.attribute} = (not set)`,
          expected: `model and profile ARNs in ${policy.describeResidency('aws')}`,
          attribute: grant.attribute,
        });
        continue;
      }
      for (const value of grant.targets) {
        const target = classifyInvokeTarget(value, graph);
        const verdict = judgeInvokeTarget(target, policy, grantedModelRegions);
        if (verdict.status !== 'denied' && verdict.status !== 'unverifiable') continue;
        violations.push({
          message:
            verdict.status === 'denied'
              ? `${resource.type} "${resource.id}" allows ${grant.actions.join(', ')} on ${verdict.problem}.`
              : `Cannot verify where prompts allowed by ${resource.type} "${resource.id}" (${grant.actions.join(', ')}) are processed: ${verdict.problem}.`,
          found: `${grant.attribute} = ${describeValue(value)}`,
          expected: `models and inference profiles whose every processing region is in ${policy.describeResidency('aws')}`,
          fix: verdict.fix,
          attribute: grant.attribute,
          ...(verdict.status === 'unverifiable' ? { cannotVerify: true } : {}),
          ...(target.kind !== 'not-a-model' ? { subject: target.kind === 'resource' ? target.resource.key : target.text } : {}),
        });
      }
    }
    return violations;
  },
};

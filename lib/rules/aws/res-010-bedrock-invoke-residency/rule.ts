import { describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { POLICY_HOLDER_TYPES, invokeGrants, judgeInvokeTarget } from '../../../analysis/bedrock';
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
  check(resource, { policy, graph }) {
    if (!policy.constrainsResidency) return undefined;
    const grants = invokeGrants(resource);
    if (grants.length === 0) return undefined;
    const violations: Violation[] = [];
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
      for (const target of grant.targets) {
        const verdict = judgeInvokeTarget(target, policy, graph);
        if (verdict.status !== 'denied' && verdict.status !== 'unverifiable') continue;
        violations.push({
          message:
            verdict.status === 'denied'
              ? `${resource.type} "${resource.id}" allows ${grant.actions.join(', ')} on ${verdict.problem}.`
              : `Cannot verify where prompts allowed by ${resource.type} "${resource.id}" (${grant.actions.join(', ')}) are processed: ${verdict.problem}.`,
          found: `${grant.attribute} = ${describeValue(target)}`,
          expected: `models and inference profiles whose every processing region is in ${policy.describeResidency('aws')}`,
          fix: verdict.fix,
          attribute: grant.attribute,
        });
      }
    }
    return violations;
  },
};

import { describeLocation, judgeLocation } from '../../../analysis/locations';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, StackRule } from '../../rule';

/** Every CloudFormation stack targets a region inside the jurisdiction; env-agnostic stacks fail closed. */
export const stackRegionResidency: StackRule = {
  id: 'LCG-RES-002',
  title: 'CloudFormation stacks deploy to an allowed region',
  category: 'residency',
  severity: 'error',
  rationale:
    'Every resource of a CloudFormation stack lives in the stack region. An environment-agnostic stack can be deployed anywhere, so its residency cannot be verified.',
  remediation: 'Give the stack an explicit environment: new Stack(app, id, { env: { account, region } }) with a region the policy allows.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: ['stack'],
  formats: ['cloudformation'],
  appliesUnder: (policy) => policy.constrainsResidency,
  checkStack(stack, { policy }) {
    if (stack.format !== 'cloudformation') return undefined;
    const verdict = judgeLocation(policy, 'aws', stack.region);
    if (verdict.status === 'allowed') return COMPLIANT;
    if (verdict.status === 'unverifiable') {
      return [
        {
          message: `Cannot verify where stack "${stack.name}" deploys: ${verdict.reason}.`,
          found: `region = ${verdict.found}`,
          expected: verdict.expected,
          fix: `set env: { region: '<allowed region>' } on stack "${stack.name}" (an environment-agnostic stack fails closed)`,
          attribute: 'environment',
          cannotVerify: true,
        },
      ];
    }
    return [
      {
        message: `Stack "${stack.name}" deploys outside the allowed jurisdiction.`,
        found: `region = ${describeLocation(verdict.info)}`,
        expected: verdict.expected,
        fix: `deploy the stack to ${verdict.expected}`,
        attribute: 'environment',
      },
    ];
  },
};

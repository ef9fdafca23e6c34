import { describeEnvironment, sameAccountAndRegion } from '../../../analysis/environments';
import { CFN } from '../../../analysis/resource-types';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule } from '../../rule';

/** At most one model-invocation logging configuration per account and region in an app. */
export const bedrockInvocationLoggingSingleton: ResourceRule = {
  id: 'LCG-LOG-013',
  title: 'One Bedrock invocation logging configuration per account and region',
  category: 'logging',
  severity: 'error',
  rationale:
    'Model-invocation logging is a single setting per account and region: two configurations overwrite each other at every deployment, so which destinations (and retention) apply depends on deployment order, and deleting one stack can switch logging off for the other.',
  remediation: 'Keep one BedrockInvocationLogging per account and region (e.g. in a shared platform stack) and remove the others.',
  clauses: [CLAUSES.hipaaAuditControls, CLAUSES.soc2Monitoring, CLAUSES.aiActRecordKeeping],
  resourceTypes: [CFN.invocationLogging],
  check(resource, { graph }) {
    const others = graph.ofType(CFN.invocationLogging).filter((other) => other !== resource);
    const clashes = others.filter((other) => sameAccountAndRegion(resource.stack, other.stack) === 'yes');
    if (clashes.length > 0) {
      return [
        {
          message: `Invocation logging "${resource.id}" and ${clashes.length} other configuration(s) in the app write the same setting of ${describeEnvironment(resource.stack)} and overwrite each other.`,
          found: `also configured by ${clashes.map((other) => `${other.stack.name}/${other.path ?? other.id}`).join(', ')}`,
          expected: `one Custom::BedrockInvocationLogging for ${describeEnvironment(resource.stack)}`,
          fix: 'keep one BedrockInvocationLogging for this account and region and remove the others',
        },
      ];
    }
    const unknown = others.filter((other) => sameAccountAndRegion(resource.stack, other.stack) === 'unknown');
    if (unknown.length > 0) {
      return [
        {
          message: `Cannot verify that invocation logging "${resource.id}" is the only one for its account and region: an account or region is known only at deploy time.`,
          found: `other configurations in ${unknown.map((other) => `${other.stack.name} (${describeEnvironment(other.stack)})`).join(', ')}`,
          expected: 'stacks with explicit env: { account, region }',
          fix: 'give every stack that configures invocation logging an explicit env',
          attribute: 'environment',
          cannotVerify: true,
        },
      ];
    }
    return COMPLIANT;
  },
};

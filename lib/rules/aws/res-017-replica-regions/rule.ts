import { describeLocation, judgeLocation } from '../../../analysis/locations';
import { Unresolved, Value, asList, block, describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

/** Where each type lists the regions it keeps a full copy of its data in. */
const REPLICA_REGIONS: { readonly [type: string]: { readonly list: string; readonly region: string } } = {
  'AWS::DynamoDB::GlobalTable': { list: 'Replicas', region: 'Region' },
  aws_dynamodb_table: { list: 'replica', region: 'region_name' },
};
/** What CDK's Table with replicationRegions (before TableV2) writes: one custom resource per replica region. */
const CDK_REPLICA = 'Custom::DynamoDBReplica';

/**
 * A table that replicates keeps a full, continuously updated copy of every
 * item in each replica region: every one of those regions is a location of
 * the data, whatever region the stack deploys to.
 */
export const replicaRegions: ResourceRule = {
  id: 'LCG-RES-017',
  title: 'Table replicas are in allowed regions',
  category: 'residency',
  severity: 'error',
  rationale:
    'A DynamoDB global table (CloudFormation Replicas, Terraform replica blocks, CDK replicationRegions) copies every item — conversation history, prompts, responses — into each replica region. A replica outside the jurisdiction stores the data there (a GDPR Chapter V transfer) although the stack itself is in an allowed region; a replica region known only at deploy time cannot be shown to stay inside.',
  remediation: 'List only allowed regions as replicas (Replicas[].Region, replica.region_name, replicationRegions / replicas in CDK).',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: [...Object.keys(REPLICA_REGIONS), CDK_REPLICA],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, { policy }) {
    const regions: [Value | undefined, string][] = [];
    if (resource.type === CDK_REPLICA) regions.push([resource.properties.Region, 'Region']);
    else {
      const { list, region } = REPLICA_REGIONS[resource.type];
      const replicas = resource.properties[list];
      if (replicas === undefined) return undefined;
      asList(replicas).forEach((replica, index) => {
        const entry = block(replica);
        regions.push(entry ? [entry[region], `${list}[${index}].${region}`] : [replica, `${list}[${index}]`]);
      });
    }
    if (regions.length === 0) return undefined;
    const violations: Violation[] = [];
    for (const [value, attribute] of regions) {
      // The stack's own region (an environment-agnostic stack's AWS::Region) is judged once, by LCG-RES-002.
      if (value instanceof Unresolved && /^(AWS::Region|\$\{AWS::Region\}|\{"Ref":\s*"AWS::Region"\})$/.test(value.expression)) continue;
      const verdict = judgeLocation(policy, 'aws', value);
      if (verdict.status === 'allowed') continue;
      violations.push(
        verdict.status === 'unverifiable'
          ? {
              message: `Cannot verify where ${resource.type} "${resource.id}" keeps a replica of its data: ${verdict.reason}.`,
              found: `${attribute} = ${describeValue(value)}`,
              expected: verdict.expected,
              fix: 'write the replica region as a literal allowed region',
              attribute,
              cannotVerify: true,
            }
          : {
              message: `${resource.type} "${resource.id}" keeps a full replica of its data in ${describeLocation(verdict.info)}, outside the allowed jurisdiction.`,
              found: `${attribute} = ${describeLocation(verdict.info)}`,
              expected: verdict.expected,
              fix: `remove the replica, or move it to ${verdict.expected}`,
              attribute,
            },
      );
    }
    return violations.length > 0 ? violations : COMPLIANT;
  },
};

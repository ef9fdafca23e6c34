import { describeLocation, judgeLocation } from '../../../analysis/locations';
import { Value, asList, describeValue, isPlainObject } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule, Violation } from '../../rule';

const STACK_SET = 'AWS::CloudFormation::StackSet';
const TF_STACK_SET_INSTANCE = 'aws_cloudformation_stack_set_instance';

/**
 * A stack set deploys its template into every region of its instances: each
 * of those regions is a location of the workload, whatever region the stack
 * set itself is managed from.
 */
export const stackSetInstanceRegions: ResourceRule = {
  id: 'LCG-RES-015',
  title: 'Stack sets deploy instances only in allowed regions',
  category: 'residency',
  severity: 'error',
  rationale:
    'A CloudFormation stack set is managed from one region but creates its resources in every region of its stack instances (StackInstancesGroup[].Regions; a Terraform aws_cloudformation_stack_set_instance\'s region). Instances outside the jurisdiction place the workload there even though every stack of the app is in an allowed region.',
  remediation: 'List only allowed regions in the stack instances (StackInstancesGroup[].Regions, stack_set_instance_region).',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: [STACK_SET, TF_STACK_SET_INSTANCE],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, { policy }) {
    const regions: [Value | undefined, string][] = [];
    if (resource.type === STACK_SET) {
      const groups = resource.properties.StackInstancesGroup;
      if (groups === undefined) return [];
      asList(groups).forEach((group, index) => {
        if (!isPlainObject(group)) regions.push([group, `StackInstancesGroup[${index}]`]);
        else asList(group.Regions).forEach((region, position) => regions.push([region, `StackInstancesGroup[${index}].Regions[${position}]`]));
      });
    } else {
      const props = resource.properties;
      const attribute = props.stack_set_instance_region !== undefined ? 'stack_set_instance_region' : props.region !== undefined ? 'region' : 'provider region';
      regions.push([props.stack_set_instance_region ?? props.region ?? resource.providerConfig?.region, attribute]);
    }
    const violations: Violation[] = [];
    for (const [region, attribute] of regions) {
      const verdict = judgeLocation(policy, 'aws', region);
      if (verdict.status === 'allowed') continue;
      violations.push(
        verdict.status === 'denied'
          ? { message: `${resource.type} "${resource.id}" deploys a stack instance in ${describeLocation(verdict.info)}.`, found: `${attribute} = ${describeLocation(verdict.info)}`, expected: verdict.expected, fix: `deploy instances only to ${verdict.expected}`, attribute }
          : { message: `Cannot verify where ${resource.type} "${resource.id}" deploys a stack instance: ${verdict.reason}.`, found: `${attribute} = ${describeValue(region)}`, expected: verdict.expected, fix: 'list the instance regions literally', attribute, cannotVerify: true },
      );
    }
    return violations;
  },
};

import { describeLocation, judgeLocation } from '../../../analysis/locations';
import { Unresolved, describeValue, isPlainObject } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { hasWildcard, parseArn } from '../../../analysis/arn';
import { judgeSystemProfile } from '../../../analysis/bedrock';
import { CFN } from '../../../analysis/resource-types';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

/**
 * Application inference profiles copy from a foundation model in an allowed
 * region or from a system inference profile whose every destination region is
 * allowed; a `global.` source never passes a residency policy.
 */
export const bedrockApplicationProfileResidency: ResourceRule = {
  id: 'LCG-RES-011',
  title: 'Bedrock application inference profiles copy from in-jurisdiction sources',
  category: 'residency',
  severity: 'error',
  rationale:
    'An application inference profile routes prompts exactly like the model or system profile it copies from (ModelSource.CopyFrom): copying from a global. or out-of-jurisdiction profile sends prompts outside the jurisdiction even though the profile itself lives in an allowed region.',
  remediation: 'Set ModelSource.CopyFrom to a foundation-model ARN in an allowed region, or to an inference profile whose every destination region is allowed.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: [CFN.applicationInferenceProfile],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, { policy }) {
    const source = isPlainObject(resource.properties.ModelSource) ? resource.properties.ModelSource.CopyFrom : resource.properties.ModelSource;
    const attribute = 'ModelSource.CopyFrom';
    const expected = `a foundation model or inference profile whose every processing region is in ${policy.describeResidency('aws')}`;
    const cannotVerify = (reason: string, fix: string): Violation[] => [
      { message: `Cannot verify where application inference profile "${resource.id}" processes prompts: ${reason}.`, found: `${attribute} = ${describeValue(source)}`, expected, fix, attribute, cannotVerify: true },
    ];
    const text = typeof source === 'string' ? source : source instanceof Unresolved ? source.expression : undefined;
    if (text === undefined) return cannotVerify('the model source is not set or not an ARN', 'set ModelSource.CopyFrom to a model or inference-profile ARN');
    const arn = parseArn(text);
    if (!arn && source instanceof Unresolved) return cannotVerify(`the model source is known only at deploy time (${source.reason})`, 'set ModelSource.CopyFrom to a literal model or inference-profile ARN');
    if (!arn || arn.service !== 'bedrock') return cannotVerify('the model source is not a Bedrock ARN', 'set ModelSource.CopyFrom to a Bedrock model or inference-profile ARN');
    if (arn.region === '' || arn.region.includes('${') || hasWildcard(arn.region)) {
      return cannotVerify(`the region of ${text} is not a literal region`, 'write the source ARN with a literal region (give the stack an explicit env)');
    }
    const location = judgeLocation(policy, 'aws', arn.region);
    if (location.status === 'denied') {
      return [{ message: `Application inference profile "${resource.id}" copies from a source in ${describeLocation(location.info)}.`, found: `${attribute} = ${text}`, expected, fix: `copy from a source in ${location.expected}`, attribute, subject: text }];
    }
    if (location.status === 'unverifiable') return cannotVerify(location.reason, `copy from a source in ${location.expected}`);
    if (arn.resourceType !== 'inference-profile') return COMPLIANT;
    const verdict = judgeSystemProfile(arn, policy);
    if (verdict.status === 'denied') return [{ message: `Application inference profile "${resource.id}" copies from ${verdict.problem}.`, found: `${attribute} = ${text}`, expected, fix: verdict.fix, attribute, subject: text }];
    if (verdict.status === 'unverifiable') return cannotVerify(verdict.problem, verdict.fix);
    return COMPLIANT;
  },
};

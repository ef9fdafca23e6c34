import { dataEventSites, declaredCentralLogging, invocationSites, trailCovers, trails } from '../../../analysis/invocation-sites';
import { resolveResource } from '../../../analysis/resolve';
import { AWS_TYPES, CFN, TF_AWS } from '../../../analysis/resource-types';
import { Reference, Unresolved, describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule } from '../../rule';

/**
 * A trail that records the app's Bedrock calls delivers them to a bucket the
 * app defines, whose region, lifecycle and encryption the other rules judge —
 * or to the central logging the policy declares.
 */
export const trailDestinations: ResourceRule = {
  id: 'LCG-LOG-015',
  title: 'Trails that record Bedrock calls deliver to a bucket defined in the app',
  category: 'logging',
  severity: 'error',
  rationale:
    'CloudTrail can deliver to a bucket in any region and account. A trail that records the app\'s Bedrock calls but delivers to a bucket the app does not define keeps the audit record where the guardrail cannot read its region (residency of the records) or its lifecycle (the audit minimum): the record cannot be shown to be kept as the policy requires.',
  remediation: 'Deliver the trail to a bucket defined in the app (BedrockAuditTrail does), or declare the organization trail and its log archive in the policy (centralLogging, provides: trail, with its evidence).',
  clauses: [CLAUSES.hipaaAuditControls, CLAUSES.soc2Evidence, CLAUSES.aiActLogRetention],
  resourceTypes: [CFN.trail, TF_AWS.trail],
  check(resource, context) {
    const trail = trails(context).find((candidate) => candidate.resource === resource);
    if (!trail) return undefined;
    // Only a trail that records some of the app's Bedrock calls is this rule's business.
    const sites = [...invocationSites(context), ...dataEventSites(context)].filter((site) => trailCovers(trail, site) !== 'no');
    if (sites.length === 0) return undefined;
    if (sites.every((site) => declaredCentralLogging(context.policy.centralLogging, site, 'trail'))) return COMPLIANT;
    const attribute = resource.type === CFN.trail ? 'S3BucketName' : 's3_bucket_name';
    const bucket = resource.properties[attribute];
    if (resolveResource(context, bucket, AWS_TYPES.buckets)) return COMPLIANT;
    const unknown = bucket instanceof Unresolved || bucket instanceof Reference || bucket === undefined;
    return [
      unknown
        ? {
            message: `Cannot verify where trail ${resource.type} "${resource.id}", which records the app's Bedrock calls, keeps its records: its bucket ${describeValue(bucket)} is known only at deploy or plan time.`,
            found: `${attribute} = ${describeValue(bucket)}`,
            expected: 'a bucket defined in the app, or central logging the policy declares (centralLogging, provides: trail)',
            fix: 'reference a bucket defined in the app, or declare the organization trail in the policy (centralLogging) with its evidence',
            attribute,
            cannotVerify: true,
          }
        : {
            message: `Trail ${resource.type} "${resource.id}" records the app's Bedrock calls into ${describeValue(bucket)}, a bucket the app does not define and the policy does not declare: where the records lie and how long they are kept cannot be judged.`,
            found: `${attribute} = ${describeValue(bucket)} (not in the app)`,
            expected: 'a bucket defined in the app, or central logging the policy declares (centralLogging, provides: trail)',
            fix: 'deliver to a bucket defined in the app, or declare the organization trail and its log archive in the policy (centralLogging) with its evidence',
            attribute,
          },
    ];
  },
};

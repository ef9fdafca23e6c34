import { POLICY_HOLDER_TYPES, invokeGrants } from '../../../analysis/iam';
import { AWS_TYPES } from '../../../analysis/resource-types';
import { Unresolved, Value, describeValue, isPlainObject } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { privateNetworkSeverity } from '../../../policy/severity';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

/** Condition keys that pin a request to a private network path. */
const PRIVATE_PATH_KEYS = ['aws:sourcevpce', 'aws:sourcevpc'];

/**
 * IAM statements that allow Bedrock invoke are conditioned on the private
 * endpoint (aws:SourceVpce or aws:SourceVpc), so that stolen credentials
 * cannot call the public endpoint. A warning, and an error when the policy
 * requires private network paths.
 */
export const bedrockInvokeSourceVpce: ResourceRule = {
  id: 'LCG-NET-011',
  title: 'Bedrock invoke permissions are limited to the private endpoint',
  category: 'network',
  severity: 'warning',
  rationale:
    'An endpoint only makes the private path available; without an aws:SourceVpce (or aws:SourceVpc) condition the same credentials can call the public bedrock-runtime endpoint from anywhere.',
  remediation: 'Add Condition StringEquals aws:SourceVpce = <endpoint id> to the statements that allow invoke (BedrockModelAccess.grantInvoke does when given a BedrockPrivateEndpoint).',
  clauses: [CLAUSES.hipaaTransmission, CLAUSES.soc2Boundaries],
  resourceTypes: POLICY_HOLDER_TYPES.filter((type) => !AWS_TYPES.vpcEndpoints.includes(type)),
  severityUnder: privateNetworkSeverity,
  check(resource, context) {
    const grants = invokeGrants(context, resource);
    if (grants.length === 0) return undefined;
    const violations: Violation[] = [];
    for (const grant of grants) {
      const statementPath = grant.attribute.replace(/\.(Resource|NotResource)$/, '');
      const condition = grant.statement?.Condition;
      const limits = grant.statement ? limitsToPrivatePath(condition) : 'unknown';
      if (limits === true) continue;
      const expected = 'Condition StringEquals (or StringLike) on aws:SourceVpce or aws:SourceVpc';
      violations.push(
        limits === false
          ? {
              message: `${resource.type} "${resource.id}" allows ${grant.actions.join(', ')} from any network path, including the public endpoint.`,
              found: `${statementPath}.Condition = ${condition === undefined ? '(not set)' : describeValue(condition)}`,
              expected,
              attribute: `${statementPath}.Condition`,
            }
          : {
              message: `Cannot verify that ${resource.type} "${resource.id}" limits Bedrock invoke permissions to a private network path: ${grant.statement ? 'its condition' : 'the statement'} is known only at deploy time.`,
              found: grant.statement ? `${statementPath}.Condition = ${describeValue(condition)}` : `${statementPath} = ${describeValue(grant.targets[0])}`,
              expected,
              attribute: grant.statement ? `${statementPath}.Condition` : statementPath,
              cannotVerify: true,
            },
      );
    }
    return violations.length > 0 ? violations : COMPLIANT;
  },
};

/** `true` when a StringEquals/StringLike condition pins the private path (the ...IfExists forms let calls without the key through). */
function limitsToPrivatePath(condition: Value | undefined): boolean | 'unknown' {
  if (condition instanceof Unresolved) return 'unknown';
  if (!isPlainObject(condition)) return false;
  let unknown = false;
  for (const [operator, keys] of Object.entries(condition)) {
    if (!/^String(Equals|Like)$/i.test(operator)) continue;
    if (keys instanceof Unresolved) unknown = true;
    if (!isPlainObject(keys)) continue;
    if (Object.keys(keys).some((key) => PRIVATE_PATH_KEYS.includes(key.toLowerCase()))) return true;
  }
  return unknown ? 'unknown' : false;
}

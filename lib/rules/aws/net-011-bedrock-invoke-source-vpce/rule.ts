import type { Value } from '../../../core/values';
import { isPlainObject } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { POLICY_HOLDER_TYPES, VPC_ENDPOINT, invokeGrants } from '../../../analysis/bedrock';
import { privatePathSeverity } from '../net-010-bedrock-private-endpoint/rule';
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
  resourceTypes: POLICY_HOLDER_TYPES.filter((type) => type !== VPC_ENDPOINT),
  check(resource, { policy }) {
    if (resource.stack.format !== 'cloudformation') return undefined;
    const grants = invokeGrants(resource);
    if (grants.length === 0) return undefined;
    const violations: Violation[] = [];
    for (const grant of grants) {
      const statementPath = grant.attribute.replace(/\.(Resource|NotResource)$/, '');
      const statement = statementAt(resource.properties, statementPath);
      if (statement && limitsToPrivatePath(statement.Condition)) continue;
      violations.push({
        message: `${resource.type} "${resource.id}" allows ${grant.actions.join(', ')} from any network path, including the public endpoint.`,
        found: `${statementPath}.Condition has no aws:SourceVpce or aws:SourceVpc`,
        expected: 'Condition StringEquals aws:SourceVpce (or aws:SourceVpc)',
        severity: privatePathSeverity(policy),
        attribute: `${statementPath}.Condition`,
      });
    }
    return violations.length > 0 ? violations : COMPLIANT;
  },
};

function limitsToPrivatePath(condition: Value | undefined): boolean {
  if (!isPlainObject(condition)) return false;
  for (const [operator, keys] of Object.entries(condition)) {
    if (!/^String(Equals|Like)$/i.test(operator) || !isPlainObject(keys)) continue;
    if (Object.keys(keys).some((key) => PRIVATE_PATH_KEYS.includes(key.toLowerCase()))) return true;
  }
  return false;
}

/** Follows `Policies[0].PolicyDocument.Statement[2]` through the properties. */
function statementAt(properties: { readonly [key: string]: Value }, attribute: string): { [key: string]: Value } | undefined {
  let current: Value | undefined = properties as { [key: string]: Value };
  for (const part of attribute.split('.')) {
    const match = /^([^[]+)(?:\[(\d+)\])?$/.exec(part);
    if (!match || !isPlainObject(current)) return undefined;
    current = current[match[1]];
    if (match[2] !== undefined) current = Array.isArray(current) ? current[Number(match[2])] : match[2] === '0' ? current : undefined;
  }
  return isPlainObject(current) ? current : undefined;
}

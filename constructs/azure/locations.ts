import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { LocationInfo, lookupLocation } from '../../lib/catalogs';
import { describeLocation, judgeLocation } from '../../lib/analysis/locations';
import type { GuardrailPolicy } from '../../lib/policy/policy';

/**
 * Checks, at construction time, that an Azure location is one the catalog
 * knows and inside the policy's residency. Throws one line: what, where, how
 * to fix. Returns undefined for a token (known only at plan time), which the
 * synth gate judges later and fails closed.
 */
export function requireAllowedAzureLocation(scope: IConstruct, policy: GuardrailPolicy, location: string, what: string): LocationInfo | undefined {
  if (Token.isUnresolved(location)) return undefined;
  const where = scope.node.path;
  const info = lookupLocation('azure', location);
  if (!info) {
    throw new Error(`${where}: ${what} location "${location}" is not an Azure region the catalog knows (fix: use an Azure region name such as westeurope or swedencentral, as \`az account list-locations\` prints it)`);
  }
  const verdict = judgeLocation(policy, 'azure', info.code);
  if (verdict.status === 'denied') {
    throw new Error(`${where}: ${what} location ${describeLocation(verdict.info)} is outside the policy "${policy.name}" (fix: use ${verdict.expected})`);
  }
  if (verdict.status === 'unverifiable') {
    throw new Error(`${where}: ${what} location "${location}" cannot be verified: ${verdict.reason} (fix: use ${verdict.expected})`);
  }
  return info;
}

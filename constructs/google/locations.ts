import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { LocationInfo, lookupLocation } from '../../lib/catalogs';
import { describeLocation, judgeLocation } from '../../lib/analysis/locations';
import type { GuardrailPolicy } from '../../lib/policy/policy';

/** Kinds of Google Cloud location, as the location catalog names them. */
export type GoogleLocationKind = 'region' | 'multi-region' | 'dual-region' | 'global';

/**
 * Checks, at construction time, that a location is one the catalog knows, of
 * an accepted kind, and inside the policy's residency. Throws one line: what,
 * where, how to fix. Returns undefined for a token (a value known only at
 * plan time), which the synth gate judges later and fails closed.
 */
export function requireAllowedGoogleLocation(
  scope: IConstruct,
  policy: GuardrailPolicy,
  location: string,
  what: string,
  kinds: readonly GoogleLocationKind[],
): LocationInfo | undefined {
  if (Token.isUnresolved(location)) return undefined;
  const info = lookupLocation('google', location);
  const where = scope.node.path;
  if (!info) {
    throw new Error(`${where}: ${what} location "${location}" is not a Google Cloud location the catalog knows (fix: use a region code such as europe-west4; \`llm-guardrail regions google\` lists them)`);
  }
  if (!kinds.includes(info.kind as GoogleLocationKind)) {
    const reason =
      info.kind === 'global'
        ? 'the global location gives no processing or storage location guarantee (LCG-RES-001)'
        : `"${info.code}" is a ${info.kind ?? 'location'}, and a ${what} needs a ${kinds.join(' or ')}`;
    throw new Error(`${where}: ${what} location "${location}" is not allowed: ${reason} (fix: use a ${kinds.join(' or ')} inside ${policy.describeResidency('google')})`);
  }
  const verdict = judgeLocation(policy, 'google', info.code);
  if (verdict.status === 'denied') {
    throw new Error(`${where}: ${what} location ${describeLocation(verdict.info)} is outside the policy "${policy.name}" (LCG-RES-001) (fix: use ${verdict.expected})`);
  }
  if (verdict.status === 'unverifiable') {
    throw new Error(`${where}: ${what} location "${location}" cannot be verified: ${verdict.reason} (fix: use ${verdict.expected})`);
  }
  return info;
}

/**
 * The regional Vertex AI API host for a region, e.g.
 * `europe-west4-aiplatform.googleapis.com`. Applications call Gemini and
 * deployed models through this host (with the same region in the request
 * path) so that ML processing stays in the region; the bare
 * `aiplatform.googleapis.com` host with location `global` gives no such
 * guarantee.
 */
export function vertexAiRegionalHost(region: string): string {
  return `${region}-aiplatform.googleapis.com`;
}

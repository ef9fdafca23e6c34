import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { LocationInfo, lookupLocation } from '../../lib/catalogs';

/** Kinds of Google Cloud location, as the location catalog names them. */
export type GoogleLocationKind = 'region' | 'multi-region' | 'dual-region' | 'global';

/**
 * The catalog entry of a location a construct is placed in, or undefined for
 * a token (known only at plan time) or a name the catalog does not know.
 * Throws one line only when the location cannot hold the resource at all (a
 * multi-region or the global location where only a region can be used). Whether it is inside
 * the policy is the gate's to judge (LCG-RES-001, with the report file and
 * acknowledgements of every finding): a construct builds what it is asked to.
 */
export function requireGoogleLocationKind(scope: IConstruct, location: string, what: string, kinds: readonly GoogleLocationKind[]): LocationInfo | undefined {
  if (Token.isUnresolved(location)) return undefined;
  const info = lookupLocation('google', location);
  if (info && !kinds.includes(info.kind as GoogleLocationKind)) {
    const is = info.kind === 'global' ? 'the global location' : `a ${info.kind ?? 'location'}`;
    throw new Error(`${scope.node.path}: ${what} location "${location}" is ${is}, and a ${what} needs a ${kinds.join(' or ')} (fix: use a ${kinds.join(' or ')}, e.g. europe-west4)`);
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

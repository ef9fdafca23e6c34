import { GOOGLE_CODE_TYPES, vertexCodeUse } from '../../../analysis/google';
import { describeLocation, judgeLocation } from '../../../analysis/locations';
import { describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

/**
 * The Vertex AI locations handed to code — GOOGLE_CLOUD_LOCATION of the Gen
 * AI SDK, CLOUD_ML_REGION of the Anthropic Vertex SDK, a VERTEX_LOCATION, a
 * model or endpoint path `projects/…/locations/<location>/…` — are in the
 * jurisdiction. Code calls Vertex AI where these say, whatever the
 * configuration's own Vertex resources do.
 */
export const vertexCodeLocation: ResourceRule = {
  id: 'LCG-RES-051',
  title: 'Vertex AI locations handed to code are in the jurisdiction',
  category: 'residency',
  severity: 'error',
  rationale:
    'Applications on Cloud Run and Cloud Functions usually call Gemini or partner models through an SDK configured by environment variables: GOOGLE_CLOUD_LOCATION=global (the Gen AI SDK) or CLOUD_ML_REGION=us-east5 (Claude on Vertex AI) sends prompts to the global endpoint or the United States however the rest of the configuration is pinned. Code switched to Vertex AI without a location goes where its SDK defaults (us-central1 or global, depending on the version). A location known only at plan time, or not set, cannot be shown to comply.',
  remediation: 'Set the location variables and model paths to a Vertex AI region inside the jurisdiction (not global), and keep them literal so that the gate can read them.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: [...GOOGLE_CODE_TYPES],
  formats: ['terraform'],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, { policy }) {
    const { locations, signs } = vertexCodeUse(resource);
    if (locations.length === 0 && signs.length > 0) {
      const [sign] = signs;
      const verdict = judgeLocation(policy, 'google', undefined);
      const expected = verdict.status === 'allowed' ? 'a Vertex AI location in the jurisdiction' : `a Vertex AI location in ${verdict.expected}`;
      return [
        {
          message: `Cannot verify where ${resource.type} "${resource.id}" calls Vertex AI: ${sign.attribute.split('.').pop()} sends it to Vertex AI, but no location is set, so its SDK picks its own default (us-central1 or global, depending on the version).`,
          found: `${signs.map((entry) => `${entry.attribute} = ${describeValue(entry.value)}`).join('; ')}; no location setting`,
          expected,
          fix: 'set GOOGLE_CLOUD_LOCATION (the Gen AI SDK), CLOUD_ML_REGION (Claude on Vertex AI) or the location variable the code reads to a Vertex AI region in the jurisdiction, as a literal value',
          attribute: sign.attribute,
          cannotVerify: true,
        },
      ];
    }
    if (locations.length === 0) return COMPLIANT;
    const violations: Violation[] = [];
    for (const { attribute, value } of locations) {
      const verdict = judgeLocation(policy, 'google', value);
      if (verdict.status === 'denied') {
        violations.push({
          message: `${resource.type} "${resource.id}" calls Vertex AI in ${describeLocation(verdict.info)} (${attribute}), outside the jurisdiction.`,
          found: `${attribute} = ${describeValue(value)}`,
          expected: `a Vertex AI location in ${verdict.expected}`,
          fix: `set ${attribute.split('.').pop()} to a Vertex AI region in ${verdict.expected}`,
          attribute,
        });
      } else if (verdict.status === 'unverifiable') {
        violations.push({
          message: `Cannot verify where ${resource.type} "${resource.id}" calls Vertex AI: ${verdict.reason}.`,
          found: `${attribute} = ${verdict.found}`,
          expected: `a Vertex AI location in ${verdict.expected}`,
          fix: 'write the location literally',
          attribute,
          cannotVerify: true,
        });
      }
    }
    return violations.length > 0 ? violations : COMPLIANT;
  },
};

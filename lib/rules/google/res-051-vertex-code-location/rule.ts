import { GOOGLE_HTTP_CALLER_TYPES, VERTEX_CALLER_TYPES, vertexCodeUse } from '../../../analysis/google';
import { describeLocation, judgeLocation } from '../../../analysis/locations';
import { Value, describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

/**
 * The Vertex AI locations handed to code — GOOGLE_CLOUD_LOCATION of the Gen
 * AI SDK, CLOUD_ML_REGION of the Anthropic Vertex SDK, a VERTEX_LOCATION, a
 * model or endpoint path `projects/…/locations/<location>/…` — and the
 * Vertex AI URLs that workflows, Cloud Scheduler jobs, Cloud Tasks queues and
 * Eventarc triggers call are in the jurisdiction. Code calls Vertex AI where
 * these say, whatever the configuration's own Vertex resources do.
 */
export const vertexCodeLocation: ResourceRule = {
  id: 'LCG-RES-051',
  title: 'Vertex AI locations handed to code are in the jurisdiction',
  category: 'residency',
  severity: 'error',
  rationale:
    'Applications on Cloud Run and Cloud Functions usually call Gemini or partner models through an SDK configured by environment variables: GOOGLE_CLOUD_LOCATION=global (the Gen AI SDK) or CLOUD_ML_REGION=us-east5 (Claude on Vertex AI) sends prompts to the global endpoint or the United States however the rest of the configuration is pinned. Workflows, Cloud Scheduler jobs, Cloud Tasks queues and Eventarc triggers call Vertex AI at the URL they are given (`https://us-central1-aiplatform.googleapis.com/…/locations/us-central1/…`). Code switched to Vertex AI without a location goes where its SDK defaults (us-central1 or global, depending on the version). A location known only at plan time, or not set, cannot be shown to comply.',
  remediation:
    'Set the location variables, model paths and Vertex AI URLs to a Vertex AI region inside the jurisdiction (not global), and keep them literal so that the gate can read them.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: [...VERTEX_CALLER_TYPES],
  formats: ['terraform'],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, { policy }) {
    const { locations, signs } = vertexCodeUse(resource);
    const byUrl = (GOOGLE_HTTP_CALLER_TYPES as readonly string[]).includes(resource.type);
    if (locations.length === 0 && signs.length > 0) {
      const [sign] = signs;
      const verdict = judgeLocation(policy, 'google', undefined);
      const expected = verdict.status === 'allowed' ? 'a Vertex AI location in the jurisdiction' : `a Vertex AI location in ${verdict.expected}`;
      return [
        {
          message: byUrl
            ? `Cannot verify where ${resource.type} "${resource.id}" calls Vertex AI: ${sign.attribute} calls it without a location written in it (a connector, or a URL built at run time).`
            : `Cannot verify where ${resource.type} "${resource.id}" calls Vertex AI: ${sign.attribute.split('.').pop()} sends it to Vertex AI, but no location is set, so its SDK picks its own default (us-central1 or global, depending on the version).`,
          found: `${signs.map((entry) => `${entry.attribute} = ${shortly(entry.value)}`).join('; ')}; no location ${byUrl ? 'in the URL' : 'setting'}`,
          expected,
          fix: byUrl
            ? 'call the regional endpoint with a literal location: https://<region>-aiplatform.googleapis.com/v1/projects/<project>/locations/<region>/…, with a region in the jurisdiction'
            : 'set GOOGLE_CLOUD_LOCATION (the Gen AI SDK), CLOUD_ML_REGION (Claude on Vertex AI) or the location variable the code reads to a Vertex AI region in the jurisdiction, as a literal value',
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
          found: `${attribute} ${byUrl ? 'calls' : '='} ${byUrl ? `location ${describeValue(value)}` : describeValue(value)}`,
          expected: `a Vertex AI location in ${verdict.expected}`,
          fix: byUrl
            ? `call the regional endpoint of a Vertex AI region in ${verdict.expected}: https://<region>-aiplatform.googleapis.com/v1/projects/<project>/locations/<region>/…`
            : `set ${attribute.split('.').pop()} to a Vertex AI region in ${verdict.expected}`,
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

/** A value for a finding, cut short: a workflow's whole source is no help to the reader. */
function shortly(value: Value): string {
  const text = describeValue(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

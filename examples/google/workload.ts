/**
 * The EU Vertex AI workload of the example: a regional endpoint with CMEK and
 * Private Service Connect, request/response logging to BigQuery, Data Access
 * audit logs kept by a log bucket, and the resource-locations org policy.
 */
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { RegionalVertexAiEndpoint, ResourceLocationsPolicy, VertexAiAuditLogging } from '../../constructs/google';
import { GuardrailPolicy } from '../../lib/policy/policy';

/** The Google Cloud project of the workload; set GOOGLE_PROJECT to use your own. */
const PROJECT = process.env.GOOGLE_PROJECT ?? 'acme-vertex-eu';
/** Netherlands: an EU region where Gemini keeps ML processing in region. */
export const REGION = 'europe-west4';

export class VertexAiEuStack extends TerraformStack {
  constructor(scope: Construct, id: string, policy: GuardrailPolicy) {
    super(scope, id);
    new GoogleProvider(this, 'google', { project: PROJECT, region: REGION });

    const endpoint = new RegionalVertexAiEndpoint(this, 'assistant', {
      location: REGION,
      project: PROJECT,
      policy,
      requestResponseLogging: true,
    });

    new VertexAiAuditLogging(this, 'audit', { project: PROJECT, location: REGION, policy });
    new ResourceLocationsPolicy(this, 'resource-locations', { project: PROJECT, policy });

    // Applications call Gemini through this host, with the same region in the request path.
    new TerraformOutput(this, 'vertex_ai_api_host', { value: endpoint.regionalApiHost });
    new TerraformOutput(this, 'vertex_ai_endpoint', { value: endpoint.endpoint.id });
  }
}

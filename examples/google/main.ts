/**
 * An EU Vertex AI workload on CDK for Terraform, checked at synthesis.
 *
 *   npx tsx examples/google/main.ts [output directory]
 *
 * Writes the Terraform JSON to the output directory (default: ./cdktf.out)
 * and fails with the guardrail's findings when anything breaks the `eu`
 * policy: EU regions only, Data Access audit logs kept a year, customer-managed
 * keys, prompt/response logs kept at most 400 days.
 */
import * as path from 'path';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { CdktfGuardrail } from '../../aspects/cdktf';
import { RegionalVertexAiEndpoint, ResourceLocationsPolicy, VertexAiAuditLogging } from '../../constructs/google';
import { GuardrailPolicy } from '../../lib/policy/policy';

/** The Google Cloud project of the workload; set GOOGLE_PROJECT to use your own. */
const PROJECT = process.env.GOOGLE_PROJECT ?? 'acme-vertex-eu';
/** Netherlands: an EU region where Gemini keeps ML processing in region. */
const REGION = 'europe-west4';

class VertexAiEuStack extends TerraformStack {
  constructor(scope: Construct, id: string, policy: GuardrailPolicy) {
    super(scope, id);
    new GoogleProvider(this, 'google', { project: PROJECT, region: REGION });

    const endpoint = new RegionalVertexAiEndpoint(this, 'assistant', {
      location: REGION,
      project: PROJECT,
      policy,
      requestResponseLogging: true,
      requestResponseSamplingRate: 0.1,
    });

    new VertexAiAuditLogging(this, 'audit', { project: PROJECT, location: REGION, policy });
    new ResourceLocationsPolicy(this, 'resource-locations', { project: PROJECT, policy });

    // Applications call Gemini through this host, with the same region in the request path.
    new TerraformOutput(this, 'vertex_ai_api_host', { value: endpoint.regionalApiHost });
    new TerraformOutput(this, 'vertex_ai_endpoint', { value: endpoint.endpoint.id });
  }
}

function main(): void {
  const outdir = path.resolve(process.argv[2] ?? 'cdktf.out');
  const policy = GuardrailPolicy.preset('eu');
  const app = new App({ outdir });
  new VertexAiEuStack(app, 'vertex-ai-eu', policy);
  CdktfGuardrail.enable(app, { policy });
  app.synth();
  console.log(`Synthesized to ${outdir}: the eu policy holds for the Vertex AI workload in ${REGION}.`);
}

main();

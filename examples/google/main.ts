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
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { CdktfGuardrail, synthesizeOrExit } from '../../aspects/cdktf';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { REGION, VertexAiEuStack } from './workload';

function main(): void {
  const outdir = path.resolve(process.argv[2] ?? 'cdktf.out');
  const policy = GuardrailPolicy.preset('eu');
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  new VertexAiEuStack(app, 'vertex-ai-eu', policy);
  CdktfGuardrail.enable(app, { policy });
  synthesizeOrExit(app);
  console.log(`Synthesized to ${outdir}: the eu policy holds for the Vertex AI workload in ${REGION}.`);
}

main();

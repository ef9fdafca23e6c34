/**
 * The data-flow documentation of the bundled examples, as a reviewer reads it:
 * the AWS example app (`npx cdk synth`), the Azure and Google examples, and an
 * app mixing the Azure and Google workloads. Every rule runs, so a snapshot
 * also pins that the examples stay free of findings.
 */
import * as path from 'path';
import { App as CdkApp } from 'aws-cdk-lib';
import { App as CdktfApp } from 'cdktf';
import { buildExampleApp } from '../../bin/example-app';
import { EuOpenAiStack } from '../../examples/azure/workload';
import { VertexAiEuStack } from '../../examples/google/workload';
import { buildDataFlowModel, renderDataFlowJson, renderMarkdown } from '../../lib/docs';
import { runGuardrail } from '../../lib/gate/run';
import { loadInput } from '../../lib/input/load';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { tempDir } from '../support/synth';

const POLICY = GuardrailPolicy.preset('eu');

function documented(outdir: string): { markdown: string; json: string; errors: number; kinds: string[] } {
  const { graph } = loadInput(outdir);
  const { context, report } = runGuardrail(graph, POLICY, { today: '2026-11-25' });
  const model = buildDataFlowModel(context, report, { generatedAt: '2026-11-25T12:00:00.000Z' });
  return { markdown: renderMarkdown(model), json: renderDataFlowJson(model), errors: report.summary.errors, kinds: [...new Set(model.nodes.map((node) => node.kind))].sort() };
}

function synthCdktf(build: (app: CdktfApp) => void): string {
  const outdir = path.join(tempDir('example-docs'), 'cdktf.out');
  require('fs').mkdirSync(outdir, { recursive: true });
  const app = new CdktfApp({ outdir, skipValidation: true });
  build(app);
  app.synth();
  return outdir;
}

describe('data-flow documentation of the bundled examples', () => {
  test('GIVEN the AWS example app WHEN documented THEN a caller reaches the Frankfurt model through the private endpoint, and the snapshots hold', () => {
    const outdir = path.join(tempDir('example-docs'), 'cdk.out');
    const app = new CdkApp({ outdir });
    buildExampleApp(app, { account: '111111111111' });
    app.synth();
    const docs = documented(outdir);
    expect(docs.errors).toBe(0);
    expect(docs.markdown).toContain('bedrock-runtime');
    expect(docs.markdown).not.toContain('public internet');
    expect(docs.markdown).toMatchSnapshot('aws markdown');
    expect(docs.json).toMatchSnapshot('aws json');
  });

  test('GIVEN the Azure example WHEN documented THEN the snapshots hold', () => {
    const docs = documented(synthCdktf((app) => new EuOpenAiStack(app, 'llm-eu')));
    expect(docs.errors).toBe(0);
    expect(docs.markdown).toMatch(/westeurope/);
    expect(docs.markdown).toMatchSnapshot('azure markdown');
    expect(docs.json).toMatchSnapshot('azure json');
  });

  test('GIVEN the Google example WHEN documented THEN the snapshots hold', () => {
    const docs = documented(synthCdktf((app) => new VertexAiEuStack(app, 'vertex-ai-eu', POLICY)));
    expect(docs.errors).toBe(0);
    expect(docs.markdown).toMatch(/europe-west4/);
    expect(docs.markdown).toMatchSnapshot('google markdown');
    expect(docs.json).toMatchSnapshot('google json');
  });

  test('GIVEN one app with the Azure and the Google workloads WHEN documented THEN both clouds are in one diagram and the snapshots hold', () => {
    const docs = documented(
      synthCdktf((app) => {
        new EuOpenAiStack(app, 'llm-eu');
        new VertexAiEuStack(app, 'vertex-ai-eu', POLICY);
      }),
    );
    expect(docs.errors).toBe(0);
    expect(docs.markdown).toMatch(/westeurope/);
    expect(docs.markdown).toMatch(/europe-west4/);
    expect(docs.markdown).toMatchSnapshot('mixed markdown');
    expect(docs.json).toMatchSnapshot('mixed json');
  });
});

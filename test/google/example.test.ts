import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../support/synth';

describe('examples/google/main.ts', () => {
  test('GIVEN the EU Vertex AI example WHEN run with an output folder THEN it synthesizes through the gate with no findings', () => {
    const outdir = path.join(tempDir('google-example'), 'cdktf.out');
    const root = path.join(__dirname, '..', '..');
    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(root, 'examples', 'google', 'main.ts'), outdir], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/the eu policy holds for the Vertex AI workload in europe-west4/);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'vertex-ai-eu', 'llm-guardrail-report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0 });
    const terraform = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'vertex-ai-eu', 'cdk.tf.json'), 'utf8'));
    expect(terraform.output.vertex_ai_api_host.value).toBe('europe-west4-aiplatform.googleapis.com');
  });
});

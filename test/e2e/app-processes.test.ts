/**
 * Apps run as users run them, each in its own process: what only the process
 * shows is its exit code and what it prints when it ends.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { linkNodeModules } from '../support/readme';
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

describe('a CDK for Terraform app with the aspect in the wrong place', () => {
  test('GIVEN the aspect added to the App (which CDK for Terraform never runs) WHEN the app exits THEN it says nothing was judged and exits 1, never a silent pass', () => {
    const app = path.join(tempDir('aspect-on-app'), 'main.ts');
    linkNodeModules(path.dirname(app));
    fs.writeFileSync(
      app,
      [
        `import { App, Aspects, TerraformStack } from 'cdktf';`,
        `import { CdktfGuardrailAspect } from ${JSON.stringify(path.join(__dirname, '..', '..', 'aspects', 'cdktf'))};`,
        `const app = new App({ outdir: ${JSON.stringify(path.join(path.dirname(app), 'cdktf.out'))} });`,
        `new TerraformStack(app, 'stack');`,
        `Aspects.of(app).add(new CdktfGuardrailAspect({ policyReference: 'eu' }));`,
        `app.synth();`,
      ].join('\n'),
    );
    const result = spawnSync(path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'), [app], { cwd: path.dirname(app), encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'llm-guardrail: a CdktfGuardrailAspect never ran, so nothing was judged: CDK for Terraform runs the aspects of stacks only, never those added to the App (fix: Aspects.of(stack).add(new CdktfGuardrailAspect(...)) for each stack, or CdktfGuardrail.enable(app))',
    );
  });
});

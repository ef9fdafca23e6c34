/**
 * The benchmark as a user runs it (`npm run bench`), on small apps: it
 * completes, its JSON has the documented shape, its Markdown names the
 * machine, and the import isolation of the entry points holds. The speed and
 * memory figures themselves are for BENCHMARKS.md, not for assertions.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../support/synth';

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface SizeEntry {
  readonly resources: number;
  readonly bareSeconds: number;
  readonly gateSeconds: number;
  readonly bareRssMb: number;
  readonly gateRssMb: number;
  readonly cdkNagSeconds?: number;
  readonly gateFindings?: { readonly errors: number; readonly warnings: number };
  readonly docsBytes: number;
  readonly outputBytes: number;
  readonly engineSeconds: number;
  readonly engineWarmSeconds: number;
}

interface BenchJson {
  readonly cdk: readonly SizeEntry[];
  readonly cdktf: readonly SizeEntry[];
  readonly cliSeconds: { readonly [output: string]: number };
  readonly importSeconds: { readonly [entry: string]: number };
  readonly importIsolation: { readonly [entry: string]: { readonly forbiddenLoaded: number; readonly packages: { readonly [name: string]: number } } };
}

describe('npm run bench on small apps', () => {
  const markdown = path.join(tempDir('bench'), 'BENCHMARKS.md');
  // GIVEN the benchmark's own build (.bench/dist), 400 resources per framework in two stacks, one run of each mode
  const run = spawnSync(TSX, ['bench/run.ts', '--json', '--runs', '1', '--cdk-sizes', '400', '--cdktf-sizes', '400', '--per-stack', '200', '--markdown', markdown], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
  });

  test('THEN it exits 0 and prints one JSON object with bare, gate and cdk-nag figures per size', () => {
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr.slice(-2000) }).toEqual({ status: 0, stderr: '' });
    const result = JSON.parse(run.stdout) as BenchJson;
    const [cdk] = result.cdk;
    const [cdktf] = result.cdktf;
    for (const entry of [cdk, cdktf]) {
      expect(entry.resources).toBe(400);
      for (const value of [entry.bareSeconds, entry.gateSeconds, entry.bareRssMb, entry.gateRssMb]) expect(value).toBeGreaterThan(0);
      expect(entry.gateFindings).toEqual({ errors: 0, warnings: 0 });
      // The documentation the gate wrote is measured, and is smaller than the templates it documents.
      expect(entry.docsBytes).toBeGreaterThan(0);
      expect(entry.docsBytes).toBeLessThan(entry.outputBytes);
      // The engine is timed cold (once per synthesis) and on its third run in the same process.
      expect(entry.engineSeconds).toBeGreaterThan(0);
      expect(entry.engineWarmSeconds).toBeGreaterThan(0);
    }
    expect(cdk.cdkNagSeconds).toBeGreaterThan(0);
    expect(Object.keys(result.cliSeconds).sort()).toEqual(['cdk-400', 'cdktf-400']);
    expect(Object.keys(result.importSeconds).sort()).toEqual(['aspects/cdk', 'aspects/cdktf', 'constructs/aws/index', 'constructs/azure/index', 'constructs/google/index', 'lib/index']);
  });

  test('THEN importing the CDK entry points loads no CDKTF module, and the CDKTF ones no AWS CDK module', () => {
    const { importIsolation } = JSON.parse(run.stdout) as BenchJson;
    for (const entry of ['aspects/cdk', 'constructs/aws/index']) {
      expect(importIsolation[entry]).toMatchObject({ forbiddenLoaded: 0, packages: { cdktf: 0, '@cdktf/provider-azurerm': 0, '@cdktf/provider-google': 0 } });
      expect(importIsolation[entry].packages['aws-cdk-lib']).toBeGreaterThan(0);
    }
    for (const entry of ['aspects/cdktf', 'constructs/azure/index', 'constructs/google/index']) {
      expect(importIsolation[entry]).toMatchObject({ forbiddenLoaded: 0, packages: { 'aws-cdk-lib': 0 } });
      expect(importIsolation[entry].packages.cdktf).toBeGreaterThan(0);
    }
    expect(importIsolation['lib/index']).toMatchObject({ forbiddenLoaded: 0, packages: { 'aws-cdk-lib': 0, cdktf: 0 } });
  });

  test('THEN the Markdown names the machine and judges every target', () => {
    const text = fs.readFileSync(markdown, 'utf8');
    expect(text).toMatch(/^- Machine: .+, \d+ CPUs, [\d.]+ GB, Node\.js v\d+/m);
    expect(text).toContain('| engine alone s | engine, third run s |');
    expect(text).toContain('| importing aspects/cdk loads no CDKTF module | none loaded | yes |');
    expect(text).toMatch(/\| cdktf 400: gate overhead ≤ 5% of bare synthesis \| CPU .* \| (yes|NO) \|/);
    expect(text).toMatch(/\| cdk 400: gate overhead beyond aws-cdk-lib's own for any validation plugin ≤ 5% of bare synthesis \| CPU: gate .*, empty plugin .*, beyond it .* \| (yes|NO) \|/);
    expect(text).toMatch(/\| cdk 400: gate overhead ≤ 10% of bare synthesis \(the empty-plugin floor at its usual ~6%\) \| CPU .* \| (yes|NO) \|/);
    for (const framework of ['cdk', 'cdktf']) {
      expect(text).toMatch(new RegExp(`\\| ${framework} 400: engine alone \\(loading the output and evaluating it\\) ≤ 0.25 s \\| [\\d.]+ s \\| (yes|NO) \\|`));
      expect(text).toMatch(new RegExp(`\\| ${framework} 400: gate's own work ≤ 1.5× the engine alone \\| [\\d.]+ s vs [\\d.]+ s = [\\d.]+×.* \\| (yes|NO) \\|`));
    }
  });
});

describe('npm run bench -- --profile', () => {
  test('GIVEN a small CDKTF app THEN it prints where the gate\'s time goes under judge, by part and by function', () => {
    const run = spawnSync(TSX, ['bench/run.ts', '--no-build', '--profile', 'cdktf:400', '--per-stack', '200'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } });
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^#### CDKTF gate, 400 resources\n\n[\d.]+ ms under `judge` \(CPU samples of one run\)\./);
    expect(run.stdout).toMatch(/\| rules and facts \| [\d.]+ \| \d+% \|/);
    expect(run.stdout).toMatch(/\| data-flow documentation \| [\d.]+ \| \d+% \|/);
    expect(run.stdout).toMatch(/\| `judge aspects\/cdktf\.js:\d+` \| [\d.]+ \|/);
  });

  test('GIVEN a malformed --profile THEN one line says what to pass', () => {
    const run = spawnSync(TSX, ['bench/run.ts', '--no-build', '--profile', 'terraform:10'], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: run.status, lines: run.stderr.trim().split('\n') }).toEqual({ status: 1, lines: ['bench: --profile must be <cdk|cdktf>:<resources>, found "terraform:10" (e.g. --profile cdktf:10000)'] });
  });
});

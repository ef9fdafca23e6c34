/**
 * The package as a consumer gets it: `npm pack`, unpacked into the
 * node_modules of a brand-new CDK app and a brand-new CDKTF app in a temp
 * directory, next to only what npm would install with it (its dependencies'
 * closure and the peers those apps have; not mermaid, an optional peer). The
 * apps compile under `node`, `node16` and `bundler` module resolution, every
 * entry point imports from ESM, both gates fail and then pass the apps, and
 * the CLI runs from the consumer with `npx llm-guardrail`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPOSITORY_ROOT, assertCliBuilt } from '../support/cli';

const MODULES = path.join(REPOSITORY_ROOT, 'node_modules');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: { [name: string]: string }; exports: { [entry: string]: unknown } };

/** The packages npm would install for these names: each one and, recursively, its dependencies. */
function closure(names: readonly string[]): Set<string> {
  const found = new Set<string>();
  const pending = [...names];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (found.has(name) || !fs.existsSync(path.join(MODULES, name, 'package.json'))) continue;
    found.add(name);
    const manifest = JSON.parse(fs.readFileSync(path.join(MODULES, name, 'package.json'), 'utf8')) as { dependencies?: { [name: string]: string } };
    pending.push(...Object.keys(manifest.dependencies ?? {}));
  }
  return found;
}

const PEERS = ['aws-cdk-lib', 'constructs', 'cdktf', '@cdktf/provider-azurerm', '@cdktf/provider-google', 'typescript', '@types/node'];

const CDK_APP = `
import { App, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { GuardrailPolicy, runGuardrail } from 'llm-compliance-guardrail';
import { BedrockAuditTrail, BedrockInvocationLogging, BedrockModelAccess } from 'llm-compliance-guardrail/aws';
import { ComplianceGate } from 'llm-compliance-guardrail/cdk';

const [outdir, variant] = process.argv.slice(2);
const app = new App({ outdir });
ComplianceGate.enable(app, { policyReference: 'eu' });
const stack = new Stack(app, 'Chat', { env: { account: '111111111111', region: 'eu-central-1' } });
new BedrockInvocationLogging(stack, 'InvocationLogging');
new BedrockAuditTrail(stack, 'AuditTrail');
const role = new iam.Role(stack, 'ChatRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
new BedrockModelAccess(stack, 'Models', { foundationModelIds: ['amazon.nova-micro-v1:0'] }).grantInvoke(role);
if (variant === 'violation') role.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:eu-west-2::foundation-model/amazon.nova-micro-v1:0'] }));
app.synth();
// The engine's API types resolve too.
export const typed: typeof runGuardrail = runGuardrail;
export const policy: GuardrailPolicy = GuardrailPolicy.preset('eu');
`;

const CDKTF_APP = `
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { App, TerraformStack } from 'cdktf';
import { AzureOpenAiEndpoint } from 'llm-compliance-guardrail/azure';
import { CdktfGuardrail, synthesizeOrExit } from 'llm-compliance-guardrail/cdktf';
import { renderMarkdown } from 'llm-compliance-guardrail/docs';
import { RegionalVertexAiEndpoint } from 'llm-compliance-guardrail/google';

const [outdir, location] = process.argv.slice(2);
const app = new App({ outdir });
const stack = new TerraformStack(app, 'llm');
new AzurermProvider(stack, 'azurerm', { features: [{}] });
new ResourceGroup(stack, 'group', { name: 'rg-llm', location });
CdktfGuardrail.enable(app, { policyReference: 'eu' });
synthesizeOrExit(app);
export const types: unknown[] = [AzureOpenAiEndpoint, RegionalVertexAiEndpoint, renderMarkdown];
`;

function run(command: string, args: readonly string[], cwd: string, env: { [name: string]: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, CDK_OUTDIR: '', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** How a consumer compiles: strict, with `moduleResolution` and `module` as given (emitting to out/ when `emit`). */
function compile(consumer: string, resolution: string, module: string, emit: boolean) {
  const output = emit ? ['--outDir', 'out'] : ['--noEmit'];
  return run(process.execPath, [path.join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'), ...output, '--strict', '--skipLibCheck', '--esModuleInterop', '--target', 'ES2022', '--module', module, '--moduleResolution', resolution, '--types', 'node', 'cdk-app.ts', 'cdktf-app.ts'], consumer);
}

describe('the packed package in brand-new consumer apps', () => {
  let consumer: string;
  let tarball: string;
  /** The CommonJS build of both apps (moduleResolution node), which the synthesis tests run. */
  let commonJs: ReturnType<typeof run>;

  beforeAll(() => {
    assertCliBuilt();
    const packDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'lcg-pack-'));
    // dist was just built by the test command; the prepare script builds it for a plain `npm pack`.
    const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', packDirectory], REPOSITORY_ROOT);
    if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
    tarball = path.join(packDirectory, fs.readdirSync(packDirectory).find((file) => file.endsWith('.tgz'))!);
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'lcg-consumer-'));
    const installed = path.join(consumer, 'node_modules', PACKAGE.name);
    fs.mkdirSync(installed, { recursive: true });
    const unpack = run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], consumer);
    if (unpack.status !== 0) throw new Error(`tar failed: ${unpack.stderr}`);
    for (const name of closure([...Object.keys(PACKAGE.dependencies), ...PEERS])) {
      const link = path.join(consumer, 'node_modules', name);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(path.join(MODULES, name), link, 'dir');
    }
    // What npm does for the package's bin: link it and make it executable.
    fs.chmodSync(path.join(installed, 'dist', 'bin', 'llm-guardrail.js'), 0o755);
    fs.mkdirSync(path.join(consumer, 'node_modules', '.bin'), { recursive: true });
    fs.symlinkSync(path.join('..', PACKAGE.name, 'dist', 'bin', 'llm-guardrail.js'), path.join(consumer, 'node_modules', '.bin', 'llm-guardrail'));
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { [PACKAGE.name]: PACKAGE.version } }));
    fs.writeFileSync(path.join(consumer, 'cdk-app.ts'), CDK_APP);
    fs.writeFileSync(path.join(consumer, 'cdktf-app.ts'), CDKTF_APP);
    commonJs = compile(consumer, 'node', 'commonjs', true);
  }, 300_000);

  test('THEN the tarball holds the built code, its maps and sources, and no tests, benchmarks or build state', () => {
    const list = run('tar', ['-tzf', tarball], consumer).stdout.split('\n').filter(Boolean);
    expect(list).toEqual(expect.arrayContaining(['package/LICENSE', 'package/README.md', 'package/dist/lib/index.js', 'package/dist/lib/index.d.ts', 'package/dist/lib/index.d.ts.map', 'package/dist/bin/llm-guardrail.js', 'package/dist/constructs/aws/handlers/runtime.js', 'package/lib/index.ts', 'package/action.yml', 'package/ci/gitlab-ci.yml', 'package/.pre-commit-hooks.yaml', 'package/schema/policy.schema.json']));
    expect(list.filter((file) => /dist\/(test|bench|examples|scripts)\/|tsbuildinfo|^package\/(test|bench|scripts)\/|\/rules\/.*\/examples\//.test(file))).toEqual([]);
    expect(fs.statSync(tarball).size).toBeLessThan(1_500_000);
  });

  test('THEN every file the README links to is in the tarball, so the links work from the installed package', () => {
    const list = new Set(run('tar', ['-tzf', tarball], consumer).stdout.split('\n').filter(Boolean));
    const readme = fs.readFileSync(path.join(REPOSITORY_ROOT, 'README.md'), 'utf8');
    const targets = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((match) => match[1]).filter((target) => !/^[a-z]+:/.test(target));
    expect(targets.length).toBeGreaterThan(5);
    expect(targets.filter((target) => !list.has(`package/${target}`) && ![...list].some((file) => file.startsWith(`package/${target.replace(/\/$/, '')}/`)))).toEqual([]);
  });

  test.each([
    ['node', 'commonjs'],
    ['node16', 'node16'],
    ['bundler', 'esnext'],
  ])('GIVEN moduleResolution %s WHEN the consumer apps type-check THEN every entry point resolves with its types', (resolution, module) => {
    const result = resolution === 'node' ? commonJs : compile(consumer, resolution, module, false);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 300_000);

  test('GIVEN an ES module WHEN it imports every entry point THEN each loads', () => {
    const entries = Object.keys(PACKAGE.exports).filter((entry) => entry !== './package.json').map((entry) => `${PACKAGE.name}${entry.slice(1)}`);
    // JSON entries load through the exports map with require (an ES import of JSON is still experimental on Node 20)
    const script = `import { createRequire } from 'module'; const require = createRequire(import.meta.url); for (const entry of ${JSON.stringify(entries)}) { const loaded = entry.endsWith('.json') ? require(entry) : await import(entry); if (Object.keys(loaded).length === 0) throw new Error(entry + ' exports nothing'); } console.log('ok');`;
    const result = run(process.execPath, ['--input-type=module', '-e', script], consumer);
    expect({ status: result.status, stderr: result.stderr, stdout: result.stdout.trim() }).toEqual({ status: 0, stderr: '', stdout: 'ok' });
  });

  test('GIVEN the CDK app WHEN synthesized with a London grant and then without THEN the gate fails and then passes, and the CLI agrees from the consumer', () => {
    expect(commonJs.status).toBe(0);
    const failing = path.join(consumer, 'cdk.out.failing');
    const failed = run(process.execPath, ['out/cdk-app.js', failing, 'violation'], consumer, { CDK_VALIDATION: 'false' });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('LCG-RES-010');
    const passing = path.join(consumer, 'cdk.out');
    const passed = run(process.execPath, ['out/cdk-app.js', passing], consumer, { CDK_VALIDATION: 'false' });
    expect(passed.status).toBe(0);

    const cliFailing = run('npx', ['--offline', 'llm-guardrail', 'check', failing, '--policy', 'eu'], consumer);
    expect(cliFailing.status).toBe(1);
    expect(cliFailing.stdout).toContain('LCG-RES-010');
    const cliPassing = run('npx', ['--offline', 'llm-guardrail', 'check', passing, '--policy', 'eu'], consumer);
    expect(cliPassing.status).toBe(0);
    // Without the optional mermaid package the documentation is the Markdown and the JSON, and the CLI says why.
    const docs = run('npx', ['--offline', 'llm-guardrail', 'docs', passing, '--policy', 'eu', '--out', 'docs'], consumer);
    expect(docs.status).toBe(0);
    expect(docs.stderr).toContain('data-flow.html is not written: it needs the mermaid package');
    expect(fs.readdirSync(path.join(consumer, 'docs')).sort()).toEqual(['data-flow.json', 'data-flow.md']);
  }, 300_000);

  test('GIVEN the CDKTF app WHEN synthesized in uksouth and then in westeurope THEN the gate fails and then passes', () => {
    expect(commonJs.status).toBe(0);
    const failed = run(process.execPath, ['out/cdktf-app.js', path.join(consumer, 'cdktf.out.failing'), 'uksouth'], consumer);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('LCG-RES-001');
    const passed = run(process.execPath, ['out/cdktf-app.js', path.join(consumer, 'cdktf.out'), 'westeurope'], consumer);
    expect({ status: passed.status, stderr: passed.stderr }).toEqual({ status: 0, stderr: '' });
  }, 300_000);
});

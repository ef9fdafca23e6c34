/**
 * `llm-guardrail verify aws` and `catalog refresh aws` with the real
 * @aws-sdk/client-bedrock client talking HTTP to a local stand-in for the
 * Bedrock API, which answers per region (from the request's signature scope).
 */
import * as fs from 'fs';
import * as path from 'path';
import { runAsync } from '../../lib/cli';
import { useInferenceProfileCatalog } from '../../lib/catalogs';
import { useFakeBedrock } from '../support/fake-bedrock';
import { tempDir } from '../support/synth';

const PROFILE = 'eu.anthropic.claude-haiku-4-5-20251001-v1:0';
const MODEL = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const ROLE = 'arn:aws:iam::111111111111:role/delivery';
const model = (region: string): string => `arn:aws:bedrock:${region}::foundation-model/${MODEL}`;

/** A cloud assembly of one Frankfurt stack: invocation logging and data retention declared, a grant on the eu. profile (restricted to EU destinations) and on a model in Ireland. */
function assembly(): string {
  const directory = path.join(tempDir('verify'), 'cdk.out');
  fs.mkdirSync(directory, { recursive: true });
  const template = {
    Resources: {
      InvocationLogging: {
        Type: 'Custom::BedrockInvocationLogging',
        Properties: { ServiceToken: 'arn:aws:lambda:eu-central-1:111111111111:function:logging', LoggingConfig: { cloudWatchConfig: { logGroupName: 'invocation-logs', roleArn: ROLE }, textDataDeliveryEnabled: true } },
      },
      DataRetention: { Type: 'Custom::BedrockDataRetention', Properties: { ServiceToken: 'arn:aws:lambda:eu-central-1:111111111111:function:retention', Mode: 'none' } },
      InvokePolicy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          PolicyDocument: {
            Statement: [
              { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: `arn:aws:bedrock:eu-central-1:111111111111:inference-profile/${PROFILE}` },
              // The destinations only through the profile (AWS's documented restriction): no direct calls there.
              {
                Effect: 'Allow',
                Action: 'bedrock:InvokeModel',
                Resource: [model('eu-central-1'), model('eu-west-1'), model('eu-west-3')],
                Condition: { StringLike: { 'bedrock:InferenceProfileArn': `arn:aws:bedrock:eu-central-1:111111111111:inference-profile/${PROFILE}` } },
              },
              { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: 'arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-lite-v1:0' },
            ],
          },
        },
      },
    },
  };
  fs.writeFileSync(path.join(directory, 'Assistant.template.json'), JSON.stringify(template));
  fs.writeFileSync(
    path.join(directory, 'manifest.json'),
    JSON.stringify({ version: '48.0.0', artifacts: { Assistant: { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/eu-central-1', properties: { templateFile: 'Assistant.template.json' } } } }),
  );
  return directory;
}

async function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runAsync(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd: tempDir('cwd'), isTty: false, env: {} });
  return { status, stdout, stderr };
}

describe('llm-guardrail verify aws', () => {
  const bedrock = useFakeBedrock();
  const input = assembly();
  const policy = { extends: 'eu', requireZeroDataRetention: true };
  let policyFile: string;
  beforeAll(() => {
    policyFile = path.join(tempDir('policy'), 'policy.json');
    fs.writeFileSync(policyFile, JSON.stringify(policy));
  });
  afterEach(() => {
    bedrock.regional.clear();
    bedrock.profiles.clear();
    useInferenceProfileCatalog(undefined);
  });

  const deployAsDeclared = (): void => {
    bedrock.regional.set('eu-central-1', { logging: { cloudWatchConfig: { logGroupName: 'invocation-logs', roleArn: ROLE }, textDataDeliveryEnabled: true }, retention: 'none' });
    bedrock.regional.set('eu-west-1', { logging: { s3Config: { bucketName: 'central-invocation-logs' }, textDataDeliveryEnabled: true }, retention: 'none' });
    bedrock.profiles.set(`eu-central-1/${PROFILE}`, [model('eu-central-1'), model('eu-west-1'), model('eu-west-3')]);
  };

  test('GIVEN an account deployed as the app declares WHEN verified THEN exit 0 and every region and profile was read', async () => {
    deployAsDeclared();
    const result = await cli(['verify', 'aws', input, '--policy', policyFile, '--format', 'json', '--today', '2026-11-25']);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(result.stdout).findings).toEqual([]);
    expect(bedrock.requests.filter((request) => request.method === 'GET').map((request) => request.path)).toEqual(expect.arrayContaining(['/logging/modelinvocations', '/data-retention', `/inference-profiles/${encodeURIComponent(PROFILE)}`]));
  });

  test('GIVEN drift (another delivery role, no logging in Ireland, retention default, a profile routing to London and an unlisted region) WHEN verified THEN each is a finding', async () => {
    deployAsDeclared();
    bedrock.regional.set('eu-central-1', { logging: { cloudWatchConfig: { logGroupName: 'invocation-logs', roleArn: 'arn:aws:iam::222222222222:role/other' }, textDataDeliveryEnabled: true }, retention: 'default' });
    bedrock.regional.set('eu-west-1', { logging: null, retention: 'none' });
    bedrock.profiles.set(`eu-central-1/${PROFILE}`, [model('eu-central-1'), model('eu-west-2'), model('eu-south-9')]);
    const result = await cli(['verify', 'aws', input, '--policy', policyFile, '--format', 'json', '--today', '2026-11-25']);
    const findings = JSON.parse(result.stdout).findings as { ruleId: string; message: string; found: string }[];

    expect(result.status).toBe(1);
    expect(findings.filter((finding) => finding.ruleId === 'LCG-VER-001').map((finding) => finding.message.split(' Found: ')[0]).sort()).toEqual([
      'No invocation logging is deployed in 111111111111/eu-west-1, where the app invokes Bedrock.',
      'The invocation logging deployed in 111111111111/eu-central-1 is not what the app declares.',
    ]);
    expect(findings.find((finding) => finding.message.includes('not what the app declares'))!.found).toBe('cloudWatchConfig.roleArn is "arn:aws:iam::222222222222:role/other", the app declares "arn:aws:iam::111111111111:role/delivery"');
    expect(findings.filter((finding) => finding.ruleId === 'LCG-VER-002').map((finding) => finding.message.split(' Found: ')[0])).toEqual(['The data retention mode deployed in 111111111111/eu-central-1 is default, not none.']);
    const routing = findings.filter((finding) => finding.ruleId === 'LCG-VER-003').map((finding) => finding.message);
    expect(routing).toHaveLength(2);
    expect(routing).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/routes to eu-south-9, which the inference-profile catalog \(as of \d{4}-\d{2}-\d{2}\) does not list/),
        expect.stringMatching(/routes prompts to eu-south-9 \(unknown to the catalog\), eu-west-2 \(Europe \(London\), GB\), outside jurisdiction EU/),
      ]),
    );
  });

  test('GIVEN credentials the API refuses in a region WHEN verified THEN the region cannot be verified: exit 1, never a pass', async () => {
    deployAsDeclared();
    bedrock.regional.set('eu-west-1', { denied: true });
    const result = await cli(['verify', 'aws', input, '--policy', policyFile, '--format', 'json', '--today', '2026-11-25']);
    const findings = JSON.parse(result.stdout).findings as { ruleId: string; cannotVerify: boolean; message: string }[];
    expect(result.status).toBe(1);
    expect(findings.filter((finding) => finding.cannotVerify).map((finding) => finding.message.split(' Found: ')[0]).sort()).toEqual([
      'Cannot verify the data retention mode deployed in 111111111111/eu-west-1: AccessDeniedException: not authorized in eu-west-1 (HTTP 403).',
      'Cannot verify the invocation logging deployed in 111111111111/eu-west-1: AccessDeniedException: not authorized in eu-west-1 (HTTP 403).',
    ]);
  });

  test('GIVEN an app that invokes in two accounts WHEN verified without --account THEN one line asks for it (exit 2)', async () => {
    const template = path.join(input, 'Assistant.template.json');
    const twoAccounts = path.join(tempDir('two'), 'cdk.out');
    fs.cpSync(input, twoAccounts, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(twoAccounts, 'manifest.json'), 'utf8'));
    manifest.artifacts.Other = { type: 'aws:cloudformation:stack', environment: 'aws://333333333333/eu-central-1', properties: { templateFile: 'Assistant.template.json' } };
    fs.writeFileSync(path.join(twoAccounts, 'manifest.json'), JSON.stringify(manifest));
    expect(fs.existsSync(template)).toBe(true);
    const result = await cli(['verify', 'aws', twoAccounts, '--policy', policyFile]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^llm-guardrail: verify aws: the app invokes Bedrock in accounts 111111111111, 333333333333 \(fix: pass --account/);
  });
});

describe('llm-guardrail catalog refresh aws', () => {
  const bedrock = useFakeBedrock();
  afterEach(() => useInferenceProfileCatalog(undefined));

  test('GIVEN profiles listed over several pages in two regions WHEN refreshed THEN the catalog holds each prefix with its destinations, and check --catalog judges by it', async () => {
    bedrock.listedProfiles.set('eu-central-1', [
      { inferenceProfileId: PROFILE, models: [model('eu-central-1'), model('eu-west-1'), model('eu-west-3')] },
      { inferenceProfileId: 'eu.amazon.nova-lite-v1:0', models: ['arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-lite-v1:0', 'arn:aws:bedrock:eu-north-1::foundation-model/amazon.nova-lite-v1:0'] },
      { inferenceProfileId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', models: ['arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0'] },
    ]);
    bedrock.listedProfiles.set('eu-west-1', [{ inferenceProfileId: PROFILE, models: [model('eu-central-1'), model('eu-west-1'), model('eu-west-3')] }]);
    const out = path.join(tempDir('catalog'), 'inference-profiles.json');
    const refreshed = await cli(['catalog', 'refresh', 'aws', '--regions', 'eu-central-1,eu-west-1', '--out', out, '--today', '2026-11-29']);
    expect(refreshed).toMatchObject({ status: 0, stderr: expect.stringContaining('2 geographies from 2 region(s)') });
    const catalog = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(catalog.asOf).toBe('2026-11-29');
    expect(catalog.geographies.eu).toEqual({ name: 'Europe', destinationRegions: ['eu-central-1', 'eu-north-1', 'eu-west-1', 'eu-west-3'], sourceRegions: ['eu-central-1', 'eu-west-1'], anywhere: false });
    expect(catalog.geographies.global.anywhere).toBe(true);

    // An eu. profile granted on its own: the built-in catalog lists London and Zurich among its destinations; the account does not.
    const template = path.join(tempDir('check'), 'template.json');
    fs.writeFileSync(template, JSON.stringify({ Resources: { P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: `arn:aws:bedrock:eu-central-1:111111111111:inference-profile/${PROFILE}` }] } } } } }));
    const ruleOf = (result: { stdout: string }): string[] => (JSON.parse(result.stdout).findings as { ruleId: string; message: string }[]).filter((finding) => finding.ruleId === 'LCG-RES-010').map((finding) => finding.message);
    expect(ruleOf(await cli(['check', template, '--policy', 'eu', '--format', 'json']))).toEqual([expect.stringContaining('eu-west-2 (Europe (London), GB)')]);
    expect(ruleOf(await cli(['check', template, '--policy', 'eu', '--format', 'json', '--catalog', out]))).toEqual([]);
  });

  test('GIVEN no regions WHEN refreshed THEN one line says how (exit 2)', async () => {
    const result = await cli(['catalog', 'refresh', 'aws']);
    expect(result).toMatchObject({ status: 2, stderr: expect.stringMatching(/^llm-guardrail: catalog refresh aws: --regions must list AWS regions/) });
  });

  test('GIVEN a catalog file that is not one WHEN given to check THEN one line names it (exit 2)', async () => {
    const bad = path.join(tempDir('bad'), 'catalog.json');
    fs.writeFileSync(bad, JSON.stringify({ asOf: 'yesterday', geographies: {} }));
    const template = path.join(tempDir('check'), 'template.json');
    fs.writeFileSync(template, JSON.stringify({ Resources: {} }));
    const result = await cli(['check', template, '--policy', 'eu', '--catalog', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`inference-profile catalog ${bad}: "asOf" must be a date YYYY-MM-DD`);
    void bedrock;
  });
});

import * as os from 'os';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { App, TerraformStack } from 'cdktf';
import { CdktfGuardrail } from '../../aspects/cdktf';
import { RegionalVertexAiEndpoint, RegionalVertexAiEndpointProps, ResourceLocationsPolicy, VertexAiAuditLogging, VertexAiAuditLoggingProps, allowedLocationValues } from '../../constructs/google';
import { runGuardrail } from '../../lib/gate/run';
import { loadInput } from '../../lib/input/load';
import { LOG_ROLE_TAG } from '../../lib/analysis/log-wiring';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { euWithKeys, findings, gateErrors, hipaaPrivate, tfGraph } from '../support/rules';
import { synthCdktf } from '../support/synth';

const PROJECT = 'acme-ml';
const eu = () => GuardrailPolicy.preset('eu');

type Body = { [key: string]: unknown };

function googleStack(app: App = new App({ outdir: os.tmpdir(), skipValidation: true }), id = 'vertex-eu'): TerraformStack {
  const stack = new TerraformStack(app, id);
  new GoogleProvider(stack, 'google', { project: PROJECT, region: 'europe-west4' });
  return stack;
}

function resources(stack: TerraformStack): { [type: string]: { [name: string]: Body } } {
  return (stack.toTerraform() as { resource: never }).resource;
}

function only(stack: TerraformStack, type: string): Body {
  const bodies = Object.values(resources(stack)[type] ?? {});
  if (bodies.length !== 1) throw new Error(`expected one ${type}, found ${bodies.length}`);
  return bodies[0];
}

function newEndpoint(stack: TerraformStack, overrides: Partial<RegionalVertexAiEndpointProps> = {}): RegionalVertexAiEndpoint {
  return new RegionalVertexAiEndpoint(stack, 'chat', { location: 'europe-west4', project: PROJECT, policy: eu(), ...overrides });
}

function newAuditLogging(stack: TerraformStack, overrides: Partial<VertexAiAuditLoggingProps> = {}): VertexAiAuditLogging {
  return new VertexAiAuditLogging(stack, 'audit', { project: PROJECT, location: 'europe-west4', policy: eu(), ...overrides });
}

/** The whole EU Vertex AI workload, as the example composes it. */
function euWorkload(stack: TerraformStack): void {
  newEndpoint(stack, { requestResponseLogging: true });
  newAuditLogging(stack);
  new ResourceLocationsPolicy(stack, 'locations', { project: PROJECT, policy: eu() });
}

describe('RegionalVertexAiEndpoint', () => {
  test('GIVEN the eu policy WHEN built with defaults in europe-west4 THEN it is regional, private and encrypted with a key in its region', () => {
    const stack = googleStack();
    const construct = newEndpoint(stack);
    const endpoint = only(stack, 'google_vertex_ai_endpoint');
    expect(endpoint).toMatchObject({
      location: 'europe-west4',
      project: PROJECT,
      display_name: 'chat',
      private_service_connect_config: { enable_private_service_connect: true, project_allowlist: [PROJECT] },
      encryption_spec: { kms_key_name: expect.stringMatching(/^\$\{google_kms_crypto_key\.chat_Key_[0-9A-F]+\.id\}$/) },
    });
    expect(endpoint.name).toMatch(/^[1-9]\d{9}$/);
    expect(endpoint.network).toBeUndefined();
    expect(only(stack, 'google_kms_key_ring')).toMatchObject({ location: 'europe-west4', project: PROJECT });
    // The Vertex AI service agent holds the key; so does BigQuery's, for the request/response dataset logged by default.
    expect(Object.values(resources(stack).google_kms_crypto_key_iam_member)).toEqual([
      expect.objectContaining({ role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', member: expect.stringMatching(/^serviceAccount:service-\$\{data\.google_project\..*\.number\}@gcp-sa-aiplatform\.iam\.gserviceaccount\.com$/) }),
      expect.objectContaining({ role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', member: expect.stringContaining('google_bigquery_default_service_account') }),
    ]);
    expect(endpoint.predict_request_response_logging_config).toMatchObject({ enabled: true, sampling_rate: 1 });
    expect(endpoint.depends_on).toEqual([expect.stringMatching(/^google_kms_crypto_key_iam_member\./)]);
    expect(construct.regionalApiHost).toBe('europe-west4-aiplatform.googleapis.com');
    expect(RegionalVertexAiEndpoint.regionalApiHostFor('europe-west9')).toBe('europe-west9-aiplatform.googleapis.com');
  });

  test('THEN the endpoint id is stable across synths and differs between endpoints', () => {
    const first = googleStack();
    newEndpoint(first);
    new RegionalVertexAiEndpoint(first, 'embeddings', { location: 'europe-west4', project: PROJECT, policy: eu() });
    const second = googleStack();
    newEndpoint(second);
    const [chat, embeddings] = Object.values(resources(first).google_vertex_ai_endpoint).map((body) => body.name);
    expect(only(second, 'google_vertex_ai_endpoint').name).toBe(chat);
    expect(embeddings).not.toBe(chat);
  });

  test('GIVEN request/response logging THEN a dataset in the same region, labelled as a content log, expires partitions within the policy maximum', () => {
    const stack = googleStack();
    const construct = newEndpoint(stack, { requestResponseLogging: true, requestResponseSamplingRate: 0.5 });
    const dataset = only(stack, 'google_bigquery_dataset');
    expect(dataset).toMatchObject({
      location: 'europe-west4',
      default_partition_expiration_ms: 400 * 86_400_000,
      labels: { [LOG_ROLE_TAG]: 'content' },
      default_encryption_configuration: { kms_key_name: expect.stringMatching(/google_kms_crypto_key\.chat_Key_/) },
    });
    expect(dataset.depends_on).toEqual([expect.stringMatching(/^google_kms_crypto_key_iam_member\.chat_Key_BigQueryServiceAgent/)]);
    expect(only(stack, 'google_vertex_ai_endpoint').predict_request_response_logging_config).toEqual({
      enabled: true,
      sampling_rate: 0.5,
      bigquery_destination: { output_uri: `bq://${PROJECT}.${dataset.dataset_id}` },
    });
    expect(construct.requestResponseDataset).toBeDefined();
  });

  test('GIVEN a VPC network THEN the endpoint peers with it instead of Private Service Connect', () => {
    const stack = googleStack();
    newEndpoint(stack, { network: 'projects/123456/global/networks/ml' });
    const endpoint = only(stack, 'google_vertex_ai_endpoint');
    expect(endpoint.network).toBe('projects/123456/global/networks/ml');
    expect(endpoint.private_service_connect_config).toBeUndefined();
  });

  test('GIVEN an existing key THEN no key ring is created and the key is used as given', () => {
    const stack = googleStack();
    const kmsKeyName = 'projects/acme-sec/locations/europe-west4/keyRings/ml/cryptoKeys/vertex';
    newEndpoint(stack, { kmsKeyName });
    expect(resources(stack).google_kms_key_ring).toBeUndefined();
    expect(only(stack, 'google_vertex_ai_endpoint').encryption_spec).toEqual({ kms_key_name: kmsKeyName });
  });

  test('GIVEN the policy from the app context THEN no policy prop is needed', () => {
    const app = new App({ outdir: os.tmpdir(), skipValidation: true, context: { 'llm-guardrail:policy': 'eu' } });
    const construct = new RegionalVertexAiEndpoint(googleStack(app), 'chat', { location: 'europe-west4' });
    expect(construct.policy.name).toBe('eu');
  });

  describe('a policy breach is built as asked and reported by the gate, with its rule id and construct path', () => {
    const errors = (overrides: Partial<RegionalVertexAiEndpointProps>, policy: GuardrailPolicy | string = 'eu'): string[] => {
      const stack = googleStack();
      newEndpoint(stack, overrides);
      newAuditLogging(stack, { location: overrides.location ?? 'europe-west4', policy: overrides.policy ?? eu() });
      return gateErrors(tfGraph(stack.toTerraform()), policy);
    };

    test('Compliance: the eu endpoint has no error finding', () => {
      expect(errors({})).toEqual([]);
    });

    test.each([
      ['europe-west2', 'London', 'GB'],
      ['europe-west6', 'Zurich', 'CH'],
      ['us-central1', 'Iowa', 'US'],
    ])('Noncompliance: an endpoint in %s (%s) under eu is LCG-RES-001 naming the country', (location, _city, country) => {
      const stack = googleStack();
      newEndpoint(stack, { location });
      const graph = tfGraph(stack.toTerraform());
      expect(gateErrors(graph)).toEqual([
        'LCG-LOG-050 vertex-eu/chat/Endpoint',
        'LCG-RES-001 vertex-eu/chat/RequestResponseLogs',
        'LCG-RES-001 vertex-eu/chat/Key/KeyRing',
        'LCG-RES-001 vertex-eu/chat/Endpoint',
        'LCG-RES-050 vertex-eu/chat/RequestResponseLogs',
        'LCG-RES-050 vertex-eu/chat/Endpoint',
      ]);
      const [endpoint] = findings('LCG-RES-001', graph).filter((finding) => finding.resource.path === 'vertex-eu/chat/Endpoint');
      expect(endpoint.found).toContain(country);
    });

    test('Unresolved: a location the catalog does not know cannot be verified (LCG-RES-001 fails closed)', () => {
      const stack = googleStack();
      newEndpoint(stack, { location: 'europe-west99' });
      const endpoint = findings('LCG-RES-001', tfGraph(stack.toTerraform())).find((finding) => finding.resource.path === 'vertex-eu/chat/Endpoint');
      expect(endpoint).toMatchObject({ cannotVerify: true, found: expect.stringContaining('europe-west99') });
    });

    test('Noncompliance: no customer-managed key while the policy requires one is LCG-ENC-050; eu and soc2 do not require one', () => {
      expect(errors({ customerManagedKey: false }, euWithKeys())).toEqual(['LCG-ENC-050 vertex-eu/chat/RequestResponseLogs', 'LCG-ENC-050 vertex-eu/chat/Endpoint']);
      expect(errors({ customerManagedKey: false })).toEqual([]);
      expect(errors({ customerManagedKey: false, policy: GuardrailPolicy.preset('soc2') }, 'soc2')).toEqual([]);
    });

    test('Noncompliance: a public endpoint while the policy requires private paths is LCG-NET-050 (us-hipaa alone does not)', () => {
      expect(errors({ location: 'us-east4', policy: GuardrailPolicy.preset('us-hipaa'), privateServiceConnect: false }, hipaaPrivate())).toContain('LCG-NET-050 vertex-eu/chat/Endpoint');
      expect(errors({ location: 'us-east4', policy: GuardrailPolicy.preset('us-hipaa'), privateServiceConnect: false }, 'us-hipaa')).not.toContain('LCG-NET-050 vertex-eu/chat/Endpoint');
    });

    test('Noncompliance: prompt logs kept past the policy maximum are LCG-RET-050', () => {
      expect(errors({ requestResponseLogging: true, requestResponseRetentionDays: 3650 }).map((line) => line.split(' ')[0])).toEqual(['LCG-RET-050']);
    });
  });

  describe('argument validation', () => {
    test('Noncompliance: the global location and the eu multi-region throw: Vertex AI endpoints are regional', () => {
      expect(() => newEndpoint(googleStack(), { location: 'global' })).toThrow(/location "global" is the global location, and a Vertex AI endpoint needs a region/);
      expect(() => newEndpoint(googleStack(), { location: 'eu' })).toThrow(/location "eu" is a multi-region, and a Vertex AI endpoint needs a region \(fix: use a region, e.g. europe-west4\)/);
    });

    test('Noncompliance: network and Private Service Connect together, a bad sampling rate, a bad endpoint id', () => {
      expect(() => newEndpoint(googleStack(), { network: 'projects/1/global/networks/n', privateServiceConnect: true })).toThrow(/network and privateServiceConnect are exclusive/);
      expect(() => newEndpoint(googleStack(), { requestResponseLogging: true, requestResponseSamplingRate: 2 })).toThrow(/requestResponseSamplingRate 2 is outside \(0, 1\]/);
      expect(() => newEndpoint(googleStack(), { endpointId: '0123' })).toThrow(/endpointId "0123" must be numeric/);
    });
  });
});

describe('VertexAiAuditLogging', () => {
  test('GIVEN the eu policy THEN Data Access audit logs for Vertex AI go to a CMEK bucket in europe-west4 kept a year', () => {
    const stack = googleStack();
    const construct = newAuditLogging(stack);
    expect(only(stack, 'google_project_iam_audit_config')).toMatchObject({
      project: PROJECT,
      service: 'aiplatform.googleapis.com',
      audit_log_config: [{ log_type: 'ADMIN_READ' }, { log_type: 'DATA_READ' }, { log_type: 'DATA_WRITE' }],
    });
    const bucket = only(stack, 'google_logging_project_bucket_config');
    expect(bucket).toMatchObject({ project: PROJECT, location: 'europe-west4', bucket_id: 'vertex-ai-audit', retention_days: 365, locked: false });
    expect(bucket.cmek_settings).toEqual({ kms_key_name: expect.stringMatching(/google_kms_crypto_key\.audit_Key_/) });
    expect(only(stack, 'google_kms_key_ring').location).toBe('europe-west4');
    expect(only(stack, 'google_kms_crypto_key_iam_member').member).toMatch(/^serviceAccount:\$\{data\.google_logging_project_cmek_settings\..*\.service_account_id\}$/);
    expect(only(stack, 'google_logging_project_sink')).toMatchObject({
      destination: `logging.googleapis.com/projects/${PROJECT}/locations/europe-west4/buckets/vertex-ai-audit`,
      filter: 'logName:"cloudaudit.googleapis.com" AND protoPayload.serviceName="aiplatform.googleapis.com"',
    });
    expect(construct.retentionDays).toBe(365);
  });

  test('GIVEN the EU multi-region THEN the key ring is created in Cloud KMS "europe"', () => {
    const stack = googleStack();
    newAuditLogging(stack, { location: 'eu', locked: true, retentionDays: 400 });
    expect(only(stack, 'google_logging_project_bucket_config')).toMatchObject({ location: 'eu', locked: true, retention_days: 400 });
    expect(only(stack, 'google_kms_key_ring').location).toBe('europe');
  });

  test('GIVEN us-hipaa THEN retention is six years', () => {
    const stack = googleStack();
    newAuditLogging(stack, { location: 'us-east4', policy: GuardrailPolicy.preset('us-hipaa') });
    expect(only(stack, 'google_logging_project_bucket_config').retention_days).toBe(2190);
  });

  test('GIVEN soc2 (no customer-managed keys required) THEN the bucket still uses a customer-managed key by default, and Google-managed encryption when asked', () => {
    const stack = googleStack();
    newAuditLogging(stack, { location: 'us-central1', policy: GuardrailPolicy.preset('soc2') });
    expect(only(stack, 'google_logging_project_bucket_config').cmek_settings).toBeDefined();
    const managed = googleStack();
    newAuditLogging(managed, { location: 'us-central1', policy: GuardrailPolicy.preset('soc2'), customerManagedKey: false });
    expect(only(managed, 'google_logging_project_bucket_config').cmek_settings).toBeUndefined();
    expect(resources(managed).google_kms_key_ring).toBeUndefined();
  });

  test.each([
    [{ location: 'global' }, ['LCG-RES-001 vertex-eu/audit/Key/KeyRing', 'LCG-RES-001 vertex-eu/audit/Bucket', 'LCG-RES-050 vertex-eu/audit/Bucket']],
    [{ location: 'europe-west2' }, ['LCG-RES-001 vertex-eu/audit/Key/KeyRing', 'LCG-RES-001 vertex-eu/audit/Bucket', 'LCG-RES-050 vertex-eu/audit/Bucket']],
    [{ retentionDays: 30 }, ['LCG-RET-004 vertex-eu/audit/Bucket']],
  ])('Noncompliance: %j under eu is built as asked and reported by the gate', (overrides, expected) => {
    const stack = googleStack();
    newAuditLogging(stack, overrides);
    expect(gateErrors(tfGraph(stack.toTerraform()))).toEqual(expected);
  });

  test('Noncompliance: no customer-managed key is LCG-ENC-050 when the policy requires one, not under eu alone', () => {
    const stack = googleStack();
    newAuditLogging(stack, { customerManagedKey: false });
    expect(gateErrors(tfGraph(stack.toTerraform()), euWithKeys())).toEqual(['LCG-ENC-050 vertex-eu/audit/Bucket']);
    expect(gateErrors(tfGraph(stack.toTerraform()))).toEqual([]);
  });

  test('Noncompliance: retention a Cloud Logging bucket does not accept throws one line', () => {
    expect(() => newAuditLogging(googleStack(), { retentionDays: 5000 })).toThrow(/retentionDays 5000 is outside the 1–3650 days/);
  });
});

describe('ResourceLocationsPolicy', () => {
  test('GIVEN eu THEN the constraint allows EU regions and multi-regions only', () => {
    const stack = googleStack();
    new ResourceLocationsPolicy(stack, 'locations', { project: PROJECT, policy: eu() });
    const policy = only(stack, 'google_org_policy_policy');
    expect(policy).toMatchObject({ name: `projects/${PROJECT}/policies/gcp.resourceLocations`, parent: `projects/${PROJECT}` });
    const values = (policy.spec as { rules: { values: { allowed_values: string[] } }[] }).rules[0].values.allowed_values;
    expect(values).toEqual(expect.arrayContaining(['in:europe-west4-locations', 'in:europe-west1-locations', 'eu', 'eur4']));
    for (const outside of ['in:europe-west2-locations', 'in:europe-west6-locations', 'in:us-central1-locations', 'global', 'us', 'eur5', 'eur8']) expect(values).not.toContain(outside);
  });

  test('GIVEN a policy without residency THEN it throws unless values are given', () => {
    expect(() => new ResourceLocationsPolicy(googleStack(), 'locations', { project: PROJECT, policy: GuardrailPolicy.preset('soc2') })).toThrow(/sets no residency/);
    expect(allowedLocationValues(GuardrailPolicy.fromSpec({ regions: { google: ['europe-west4'] } }))).toEqual(['in:europe-west4-locations']);
  });
});

describe('synthesized Google constructs under the engine', () => {
  test('GIVEN the EU workload WHEN synthesized to cdktf.out and checked under eu THEN the engine finds nothing', () => {
    const out = synthCdktf((app) => euWorkload(googleStack(app)));
    const { kind, graph } = loadInput(out);
    expect(kind).toBe('cdktf-output');
    const { report } = runGuardrail(graph, eu(), { today: '2026-11-25' });
    expect(report.findings).toEqual([]);
    const googleRuleChecks = new Set(report.checks.map((check) => check.ruleId));
    for (const id of ['LCG-RES-001', 'LCG-RES-050', 'LCG-LOG-050', 'LCG-RET-004', 'LCG-RET-050', 'LCG-ENC-050', 'LCG-NET-050']) expect(googleRuleChecks).toContain(id);
  });

  test('GIVEN the synth gate WHEN the EU workload synthesizes THEN it passes', () => {
    const app = new App({ outdir: require('../support/synth').tempDir('google-gate'), skipValidation: true });
    euWorkload(googleStack(app));
    const gate = CdktfGuardrail.enable(app, { policy: eu(), today: '2026-11-25' });
    expect(() => app.synth()).not.toThrow();
    expect(gate.reportFor('vertex-eu')?.summary.errors).toBe(0);
  });

  test('GIVEN one stack mixing an Azure resource group in westeurope and the Google workload WHEN an escape hatch moves the endpoint to us-central1 THEN synthesis fails naming the Google resource', () => {
    const app = new App({ outdir: require('../support/synth').tempDir('google-mixed'), skipValidation: true });
    const stack = googleStack(app, 'mixed');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    new ResourceGroup(stack, 'rg', { name: 'llm-eu', location: 'westeurope' });
    euWorkload(stack);
    const endpoint = stack.node.findAll().find((child) => child instanceof RegionalVertexAiEndpoint) as RegionalVertexAiEndpoint;
    endpoint.endpoint.addOverride('location', 'us-central1');
    const gate = CdktfGuardrail.enable(app, { policy: eu(), today: '2026-11-25' });
    expect(() => app.synth()).toThrow(/google_vertex_ai_endpoint/);
    const errors = gate.reportFor('mixed')!.findings.filter((finding) => finding.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((finding) => finding.resource.type === 'google_vertex_ai_endpoint')).toBe(true);
    expect(errors.map((finding) => finding.ruleId).sort()).toEqual(['LCG-RES-001', 'LCG-RES-050']);
    expect(errors[0].resource.path).toBe('mixed/chat/Endpoint');
  });
});

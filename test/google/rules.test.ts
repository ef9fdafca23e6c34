import { runGuardrail } from '../../lib/gate/run';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { findRule } from '../../lib/rules';
import { euWithKeys, findings, hipaaPrivate, passes, tfGraph } from '../support/rules';

/** Resource bodies of a Terraform JSON document, by type and name. */
type Resources = { [type: string]: { [name: string]: object } };

const PROJECT = 'acme-ml';
const KEY = '${google_kms_crypto_key.key.id}';
const AUDIT_LOG_TYPES = [{ log_type: 'ADMIN_READ' }, { log_type: 'DATA_READ' }, { log_type: 'DATA_WRITE' }];

/** An EU Vertex AI workload in europe-west4 (Netherlands) that satisfies every Google rule under `eu`. */
function workload(location = 'europe-west4'): Resources {
  return {
    google_kms_key_ring: { ring: { name: 'vertex', location } },
    google_kms_crypto_key: { key: { name: 'vertex', key_ring: '${google_kms_key_ring.ring.id}' } },
    google_vertex_ai_endpoint: {
      endpoint: {
        name: '1234567890',
        display_name: 'chat',
        location,
        encryption_spec: { kms_key_name: KEY },
        private_service_connect_config: { enable_private_service_connect: true, project_allowlist: [PROJECT] },
        predict_request_response_logging_config: { enabled: true, sampling_rate: 1, bigquery_destination: { output_uri: `bq://${PROJECT}.vertex_predictions` } },
      },
    },
    google_project_iam_audit_config: { vertex: { project: PROJECT, service: 'aiplatform.googleapis.com', audit_log_config: AUDIT_LOG_TYPES } },
    google_logging_project_bucket_config: {
      audit: { project: PROJECT, location, bucket_id: 'vertex-audit', retention_days: 400, cmek_settings: { kms_key_name: KEY } },
    },
    // The audit logs go to that bucket, not to the _Default bucket's 30 days.
    google_logging_project_sink: {
      audit: { project: PROJECT, name: 'vertex-audit', destination: `logging.googleapis.com/projects/${PROJECT}/locations/${location}/buckets/vertex-audit`, filter: 'protoPayload.serviceName="aiplatform.googleapis.com"', unique_writer_identity: true },
    },
    google_bigquery_dataset: { predictions: { dataset_id: 'vertex_predictions', location, default_partition_expiration_ms: 30 * 86_400_000, default_encryption_configuration: { kms_key_name: KEY } } },
  };
}

/** A Terraform JSON document with a google provider pinned to the project, from resources and overrides. */
function document(resources: Resources, provider: object = { project: PROJECT, region: 'europe-west4' }): object {
  return { provider: { google: [provider] }, resource: resources };
}

/** `base` with some resources replaced or added (a `null` body removes the resource). */
function withResources(base: Resources, changes: { [type: string]: { [name: string]: object | null } }): Resources {
  const out: Resources = JSON.parse(JSON.stringify(base));
  for (const [type, byName] of Object.entries(changes)) {
    out[type] = { ...(out[type] ?? {}) };
    for (const [name, body] of Object.entries(byName)) {
      if (body === null) delete out[type][name];
      else out[type][name] = body;
    }
    if (Object.keys(out[type]).length === 0) delete out[type];
  }
  return out;
}

function endpoint(overrides: object): Resources {
  const base = workload();
  return withResources(base, { google_vertex_ai_endpoint: { endpoint: { ...base.google_vertex_ai_endpoint.endpoint, ...overrides } } });
}

describe('the compliant EU workload in europe-west4', () => {
  test('GIVEN a Vertex AI endpoint, key, audit config, log bucket and dataset in europe-west4 WHEN every rule runs under eu THEN nothing is found', () => {
    const { report } = runGuardrail(tfGraph(document(workload())), GuardrailPolicy.preset('eu'), { today: '2026-11-25' });
    expect(report.findings).toEqual([]);
    expect(report.checks.filter((check) => check.ruleId.endsWith('-050')).length).toBeGreaterThanOrEqual(6);
  });
});

describe('LCG-RES-001 Google locations (generic residency, with the issue fixtures)', () => {
  const RULE = 'LCG-RES-001';

  test.each([
    ['europe-west2', 'London', 'GB'],
    ['europe-west6', 'Zurich', 'CH'],
  ])('Noncompliance: GIVEN an endpoint in %s (%s) WHEN checked under eu THEN it is outside the EU', (location, _city, country) => {
    const result = findings(RULE, tfGraph(document(endpoint({ location }))));
    const onEndpoint = result.filter((finding) => finding.resource.id === 'google_vertex_ai_endpoint.endpoint');
    expect(onEndpoint).toHaveLength(1);
    expect(onEndpoint[0].found).toContain(`location = ${location}`);
    expect(onEndpoint[0].found).toContain(country);
  });

  test('Noncompliance: GIVEN an endpoint in us-central1 WHEN checked under eu THEN the finding names the endpoint and the US', () => {
    const [finding] = findings(RULE, tfGraph(document(endpoint({ location: 'us-central1' }))));
    expect(finding.resource.id).toBe('google_vertex_ai_endpoint.endpoint');
    expect(finding.found).toMatch(/^location = us-central1 \(.*, US\)$/);
    expect(finding.expected).toMatch(/in EU/);
  });

  test('Noncompliance: GIVEN a log bucket at global WHEN checked under eu THEN global gives no location guarantee', () => {
    const resources = withResources(workload(), { google_logging_project_bucket_config: { audit: { project: PROJECT, location: 'global', bucket_id: 'vertex-audit', retention_days: 400 } } });
    const [finding] = findings(RULE, tfGraph(document(resources)));
    expect(finding.resource.id).toBe('google_logging_project_bucket_config.audit');
    expect(finding.found).toMatch(/^location = global .*no fixed country/);
  });

  test('Noncompliance: GIVEN a BigQuery dataset without a location WHEN checked under eu THEN it defaults to the US multi-region', () => {
    const resources = withResources(workload(), { google_bigquery_dataset: { predictions: { dataset_id: 'vertex_predictions' } } });
    const [finding] = findings(RULE, tfGraph(document(resources)));
    expect(finding.resource.id).toBe('google_bigquery_dataset.predictions');
    expect(finding.found).toMatch(/^location \(provider default\) = us /);
  });

  test('Compliance: GIVEN the workload in europe-west4 and a dataset in the EU multi-region THEN every located resource passes', () => {
    const resources = withResources(workload(), { google_bigquery_dataset: { predictions: { dataset_id: 'vertex_predictions', location: 'EU' } } });
    const graph = tfGraph(document(resources));
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toEqual(
      expect.arrayContaining(['google_vertex_ai_endpoint.endpoint', 'google_kms_key_ring.ring', 'google_logging_project_bucket_config.audit', 'google_bigquery_dataset.predictions']),
    );
  });

  test('Unresolved: GIVEN an endpoint location from a variable THEN residency cannot be verified', () => {
    const [finding] = findings(RULE, tfGraph(document(endpoint({ location: '${var.region}' }))));
    expect(finding.message).toMatch(/Cannot verify the location of google_vertex_ai_endpoint/);
  });
});

describe('LCG-RES-050 Google customer-managed key residency', () => {
  const RULE = 'LCG-RES-050';

  test('Noncompliance: GIVEN an endpoint in europe-west4 whose key lives in us-central1 THEN the key is outside the EU and in another location', () => {
    const result = findings(RULE, tfGraph(document(endpoint({ encryption_spec: { kms_key_name: 'projects/acme-ml/locations/us-central1/keyRings/r/cryptoKeys/k' } }))));
    expect(result.map((finding) => finding.message)).toEqual([
      'The customer-managed key of google_vertex_ai_endpoint "google_vertex_ai_endpoint.endpoint" is in another location than the resource. Found: encryption_spec.kms_key_name = projects/acme-ml/locations/us-central1/keyRings/r/cryptoKeys/k (key in us-central1, resource in europe-west4). Expected: a key in Cloud KMS location "europe-west4". Fix: create the key ring with location "europe-west4" and use a key from it',
      expect.stringMatching(/^The customer-managed key of .* lies outside the allowed jurisdiction\. Found: .*key in us-central1 .*Expected: a key in .*location in EU/),
    ]);
    expect(result[0].attribute).toBe('encryption_spec.kms_key_name');
  });

  test('Noncompliance: GIVEN the endpoint and its key both in London THEN the fix moves both into the jurisdiction (a key ring next to the endpoint would still be outside)', () => {
    const resources = withResources(endpoint({ location: 'europe-west2', encryption_spec: { kms_key_name: 'projects/acme-ml/locations/europe-west2/keyRings/r/cryptoKeys/k' } }), {});
    const [finding] = findings(RULE, tfGraph(document(resources)));
    expect(finding.message).toMatch(/lies outside the allowed jurisdiction/);
    expect(finding.fix).toMatch(/^move the resource and its key ring to .*location in EU/);
  });

  test('Noncompliance: GIVEN an endpoint in europe-west4 and its key in London THEN the fix creates the key ring next to the endpoint', () => {
    const result = findings(RULE, tfGraph(document(endpoint({ encryption_spec: { kms_key_name: 'projects/acme-ml/locations/europe-west2/keyRings/r/cryptoKeys/k' } }))));
    const outside = result.find((finding) => finding.message.includes('lies outside the allowed jurisdiction'));
    expect(outside?.fix).toBe('create the key ring in europe-west4 and use a key from it');
  });

  test('Noncompliance: GIVEN a key ring in europe-west3 (inside the EU) for an endpoint in europe-west4 THEN only the location mismatch is found', () => {
    const resources = withResources(endpoint({}), { google_kms_key_ring: { ring: { name: 'vertex', location: 'europe-west3' } } });
    const result = findings(RULE, tfGraph(document(resources)));
    // The endpoint, the log bucket and the dataset all use the key.
    expect(result).toHaveLength(3);
    expect(result.every((finding) => /is in another location than the resource/.test(finding.message))).toBe(true);
    expect(result[0].found).toContain('google_kms_crypto_key.key → google_kms_key_ring.ring');
  });

  test('Noncompliance: GIVEN a key in London (europe-west2) for an endpoint in London THEN the key is outside the EU', () => {
    const resources = withResources(endpoint({ location: 'europe-west2' }), { google_kms_key_ring: { ring: { name: 'vertex', location: 'europe-west2' } } });
    const onEndpoint = findings(RULE, tfGraph(document(resources))).filter((finding) => finding.resource.id === 'google_vertex_ai_endpoint.endpoint');
    expect(onEndpoint).toHaveLength(1);
    expect(onEndpoint[0].found).toMatch(/key in europe-west2 .*GB\)/);
  });

  test('Compliance: GIVEN keys in the resource locations, including an EU dataset with a key in Cloud KMS "europe" THEN every key passes', () => {
    const resources = withResources(workload(), {
      google_bigquery_dataset: { predictions: { dataset_id: 'p', location: 'EU', default_encryption_configuration: { kms_key_name: 'projects/acme-ml/locations/europe/keyRings/r/cryptoKeys/k' } } },
    });
    const graph = tfGraph(document(resources));
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toEqual(['google_vertex_ai_endpoint.endpoint', 'google_logging_project_bucket_config.audit', 'google_bigquery_dataset.predictions']);
  });

  test('Compliance: GIVEN a key path whose project is a variable THEN the literal location segment is enough', () => {
    const graph = tfGraph(document(endpoint({ encryption_spec: { kms_key_name: 'projects/${var.project}/locations/europe-west4/keyRings/r/cryptoKeys/k' } })));
    expect(findings(RULE, graph)).toEqual([]);
  });

  test('Unresolved: GIVEN a key from a variable or a key ring from a data source THEN the key location cannot be verified', () => {
    const fromVariable = findings(RULE, tfGraph(document(endpoint({ encryption_spec: { kms_key_name: '${var.kms_key}' } }))));
    expect(fromVariable).toHaveLength(1);
    expect(fromVariable[0].message).toMatch(/^Cannot verify where the customer-managed key of google_vertex_ai_endpoint/);
    expect(fromVariable[0].found).toBe('encryption_spec.kms_key_name = ${var.kms_key}');

    const fromDataSource = withResources(workload(), { google_kms_crypto_key: { key: { name: 'vertex', key_ring: '${data.google_kms_key_ring.shared.id}' } } });
    const result = findings(RULE, tfGraph(document(fromDataSource)));
    expect(result).toHaveLength(3);
    expect(result[0].message).toMatch(/key ring \(and so the key location\) is not in this configuration/);
  });
});

describe('LCG-LOG-050 Vertex AI Data Access audit logs', () => {
  const RULE = 'LCG-LOG-050';

  test('Noncompliance: GIVEN a Vertex AI endpoint and no audit config THEN the project records no Data Access logs', () => {
    const resources = withResources(workload(), { google_project_iam_audit_config: { vertex: null } });
    const [finding] = findings(RULE, tfGraph(document(resources)));
    expect(finding.resource.id).toBe('google_vertex_ai_endpoint.endpoint');
    expect(finding.message).toBe(
      'Project "acme-ml" holds Vertex AI resource google_vertex_ai_endpoint "google_vertex_ai_endpoint.endpoint" but records no Data Access audit logs for Vertex AI. Found: no google_project_iam_audit_config for aiplatform.googleapis.com or allServices in project "acme-ml". Expected: DATA_READ and DATA_WRITE audit logs for aiplatform.googleapis.com or allServices. Fix: add a google_project_iam_audit_config with project = "acme-ml", service = "aiplatform.googleapis.com" and audit_log_config for DATA_READ and DATA_WRITE (and ADMIN_READ)',
    );
  });

  test('Noncompliance: GIVEN an audit config with ADMIN_READ only THEN DATA_READ and DATA_WRITE are missing', () => {
    const resources = withResources(workload(), {
      google_project_iam_audit_config: { vertex: { project: PROJECT, service: 'aiplatform.googleapis.com', audit_log_config: [{ log_type: 'ADMIN_READ' }] } },
    });
    const [finding] = findings(RULE, tfGraph(document(resources)));
    expect(finding.found).toBe('google_project_iam_audit_config.vertex enables ADMIN_READ');
    expect(finding.expected).toBe('DATA_READ and DATA_WRITE for aiplatform.googleapis.com or allServices');
    expect(finding.fix).toBe('add audit_log_config entries for DATA_READ and DATA_WRITE to google_project_iam_audit_config.vertex');
  });

  test('Noncompliance: GIVEN an audit config for another project or another service THEN it does not count', () => {
    const resources = withResources(workload(), {
      google_project_iam_audit_config: {
        vertex: { project: 'other-project', service: 'aiplatform.googleapis.com', audit_log_config: AUDIT_LOG_TYPES },
        storage: { project: PROJECT, service: 'storage.googleapis.com', audit_log_config: AUDIT_LOG_TYPES },
      },
    });
    expect(findings(RULE, tfGraph(document(resources)))[0].message).toMatch(/records no Data Access audit logs/);
  });

  test('Noncompliance: GIVEN exempted members on DATA_READ THEN a warning names them', () => {
    const resources = withResources(workload(), {
      google_project_iam_audit_config: {
        vertex: { project: PROJECT, service: 'aiplatform.googleapis.com', audit_log_config: [{ log_type: 'DATA_READ', exempted_members: ['user:ops@example.com'] }, { log_type: 'DATA_WRITE' }] },
      },
    });
    const [finding] = findings(RULE, tfGraph(document(resources)));
    expect(finding.severity).toBe('warning');
    expect(finding.found).toBe('exempted_members = ["user:ops@example.com"]');
  });

  test('Compliance: GIVEN allServices with DATA_READ and an aiplatform config with DATA_WRITE THEN together they cover the project', () => {
    const resources = withResources(workload(), {
      google_project_iam_audit_config: {
        vertex: { project: PROJECT, service: 'allServices', audit_log_config: [{ log_type: 'DATA_READ' }] },
        writes: { project: PROJECT, service: 'aiplatform.googleapis.com', audit_log_config: { log_type: 'DATA_WRITE' } },
      },
    });
    const graph = tfGraph(document(resources));
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toEqual(['google_vertex_ai_endpoint.endpoint']);
  });

  test('Compliance: GIVEN the project from one variable on both the provider and the audit config THEN they are the same project', () => {
    const resources = withResources(workload(), { google_project_iam_audit_config: { vertex: { project: '${var.project}', service: 'allServices', audit_log_config: AUDIT_LOG_TYPES } } });
    expect(findings(RULE, tfGraph(document(resources, { project: '${var.project}', region: 'europe-west4' })))).toEqual([]);
  });

  test('GIVEN Data Access logs with neither a sink nor a _Default bucket configuration THEN they are kept 30 days; a bucket whose id is a variable is judged by its own retention instead', () => {
    const withoutSink = withResources(workload(), { google_logging_project_sink: { audit: null } });
    expect(findings(RULE, tfGraph(document(withoutSink))).map((finding) => finding.message).join()).toContain('keeps them in its _Default log bucket for the default 30 days');
    const variableBucket = withResources(withoutSink, { google_logging_project_bucket_config: { audit: { project: PROJECT, location: 'europe-west4', bucket_id: '${var.bucket}', retention_days: 400 } } });
    expect(findings(RULE, tfGraph(document(variableBucket)))).toEqual([]);
  });

  test('Unresolved: GIVEN no project anywhere THEN the audit logging cannot be verified (fails closed)', () => {
    const [finding] = findings(RULE, tfGraph(document(workload(), { region: 'europe-west4' })));
    expect(finding.message).toMatch(/^Cannot verify Data Access audit logging .*neither the resource nor the google provider names its project/);
    expect(finding.found).toBe('provider project = (not set)');
  });

  test('Unresolved: GIVEN the project from a variable and an audit config for a literal project THEN it cannot be verified', () => {
    const [finding] = findings(RULE, tfGraph(document(workload(), { project: '${var.project}' })));
    expect(finding.message).toMatch(/its project is known only at plan time/);
  });

  test('Unresolved: GIVEN audit log types from a variable THEN coverage cannot be verified', () => {
    const resources = withResources(workload(), { google_project_iam_audit_config: { vertex: { project: PROJECT, service: 'aiplatform.googleapis.com', audit_log_config: '${var.audit_log_config}' } } });
    expect(findings(RULE, tfGraph(document(resources)))[0].message).toMatch(/^Cannot verify .*an audit config of project "acme-ml" is known only at plan time/);
  });
});

describe('LCG-LOG-050 where sinks send the Data Access audit logs', () => {
  const RULE = 'LCG-LOG-050';
  const sink = (destination: string): object => ({ project: PROJECT, name: 'copy', destination, filter: 'logName:"cloudaudit.googleapis.com%2Fdata_access"' });

  test('Noncompliance: GIVEN the logs kept in a bucket of the configuration and copied to a US log bucket elsewhere THEN only the copy is found, and only under a residency policy', () => {
    const resources = withResources(workload(), { google_logging_project_sink: { copy: sink('logging.googleapis.com/projects/acme-central/locations/us-central1/buckets/audit') } });
    const [finding, ...others] = findings(RULE, tfGraph(document(resources)));
    expect(others).toEqual([]);
    expect(finding.cannotVerify).toBe(false);
    expect(finding.message).toContain('Project "acme-ml" routes the Data Access audit logs of Vertex AI through google_logging_project_sink "google_logging_project_sink.copy" to a log bucket in us-central1');
    expect(finding.found).toBe('google_logging_project_sink.copy.destination = "logging.googleapis.com/projects/acme-central/locations/us-central1/buckets/audit"');
    expect(findings(RULE, tfGraph(document(resources)), 'soc2')).toEqual([]);
  });

  test('Noncompliance: GIVEN an organization sink to a global log bucket elsewhere THEN global gives no location guarantee', () => {
    const resources = withResources(workload(), {
      google_logging_organization_sink: { all: { name: 'all', org_id: '42', include_children: true, destination: 'logging.googleapis.com/projects/acme-central/locations/global/buckets/audit' } },
    });
    expect(findings(RULE, tfGraph(document(resources))).map((finding) => finding.message)).toEqual([expect.stringContaining('to a log bucket in global')]);
  });

  test('Compliance: GIVEN a sink path built from variables that names a log bucket of the configuration by its id THEN that bucket keeps the logs', () => {
    const resources = withResources(workload(), {
      google_logging_project_bucket_config: { audit: { project: '${var.project}', location: '${var.region}', bucket_id: 'vertex-audit', retention_days: 400 } },
      google_logging_project_sink: { audit: { project: PROJECT, name: 'vertex-audit', destination: 'logging.googleapis.com/projects/${var.project}/locations/${var.region}/buckets/vertex-audit', filter: 'protoPayload.serviceName="aiplatform.googleapis.com"' } },
    });
    const graph = tfGraph({ ...(document(resources) as object), variable: { project: { type: 'string' }, region: { type: 'string' } } });
    expect(findings(RULE, graph)).toEqual([]);
    // The same path with another bucket id names nothing of the configuration.
    const elsewhere = withResources(resources, { google_logging_project_sink: { audit: sink('logging.googleapis.com/projects/${var.project}/locations/${var.region}/buckets/other') } });
    const [finding] = findings(RULE, tfGraph({ ...(document(elsewhere) as object), variable: { project: { type: 'string' }, region: { type: 'string' } } }));
    expect(finding.message).toMatch(/^Cannot verify how long project "acme-ml" keeps the Data Access audit logs of Vertex AI: its sinks route them only to destinations this configuration does not declare/);
  });
});

describe('LCG-LOG-050 where the configuration shows Vertex AI calls without a Vertex AI resource', () => {
  const RULE = 'LCG-LOG-050';
  /** A project with no audit config and no Vertex AI resource, plus the resources given. */
  const bare = (resources: Resources): object => document(resources);
  const service = (env: { name: string; value: string }[]): Resources => ({
    google_cloud_run_v2_service: { chat: { name: 'chat', location: 'europe-west4', template: [{ containers: [{ image: 'europe-west4-docker.pkg.dev/acme-ml/chat/app:1', env }] }] } },
  });
  const grant = (role: string): Resources => ({ google_project_iam_member: { caller: { project: PROJECT, role, member: 'serviceAccount:chat@acme-ml.iam.gserviceaccount.com' } } });

  test.each([['roles/aiplatform.user'], ['roles/aiplatform.admin'], ['roles/aiplatform.expressUser']])('Noncompliance: GIVEN %s granted in the project THEN its model calls go unrecorded', (role) => {
    const [finding] = findings(RULE, tfGraph(bare(grant(role))));
    expect(finding.resource.id).toBe('google_project_iam_member.caller');
    expect(finding.message).toContain(
      `Project "acme-ml" grants "${role}" (which calls Vertex AI models) to "serviceAccount:chat@acme-ml.iam.gserviceaccount.com" through google_project_iam_member "google_project_iam_member.caller" but records no Data Access audit logs for Vertex AI.`,
    );
  });

  test('Noncompliance: GIVEN a custom role of the configuration holding aiplatform.endpoints.predict, granted by binding THEN it calls models', () => {
    const resources: Resources = {
      google_project_iam_custom_role: { caller: { project: PROJECT, role_id: 'vertexCaller', title: 'Vertex caller', permissions: ['aiplatform.endpoints.predict'] } },
      google_project_iam_binding: {
        byReference: { project: PROJECT, role: '${google_project_iam_custom_role.caller.id}', members: ['group:analysts@example.com'] },
        byName: { project: PROJECT, role: `projects/${PROJECT}/roles/vertexCaller`, members: ['group:analysts@example.com'] },
      },
    };
    expect(findings(RULE, tfGraph(bare(resources))).map((finding) => finding.resource.id).sort()).toEqual(['google_project_iam_binding.byName', 'google_project_iam_binding.byReference']);
  });

  test('Noncompliance: GIVEN Claude Code switched to Vertex AI, or a model path in a function THEN the calls land in the project the settings name', () => {
    const resources: Resources = {
      ...service([
        { name: 'CLAUDE_CODE_USE_VERTEX', value: '1' },
        { name: 'GOOGLE_CLOUD_PROJECT', value: 'acme-agents' },
      ]),
      google_cloudfunctions2_function: { embed: { name: 'embed', location: 'europe-west4', service_config: [{ environment_variables: { EMBEDDING_MODEL: 'publishers/google/models/text-embedding-005' } }] } },
    };
    const result = findings(RULE, tfGraph(bare(resources)));
    expect(result.map((finding) => finding.message.replace(/ but records.*/, '')).sort()).toEqual([
      'Project "acme-agents" receives the Vertex AI calls of google_cloud_run_v2_service "google_cloud_run_v2_service.chat" (template[0].containers[0].env[0].CLAUDE_CODE_USE_VERTEX = "1")',
      'Project "acme-ml" receives the Vertex AI calls of google_cloudfunctions2_function "google_cloudfunctions2_function.embed" (service_config[0].environment_variables.EMBEDDING_MODEL = "publishers/google/models/text-embedding-005")',
    ]);
  });

  test('Noncompliance: GIVEN a workflow and a Cloud Scheduler job that call Gemini by URL THEN the project the URL names must record the calls', () => {
    const resources: Resources = {
      google_workflows_workflow: {
        summarize: { name: 'summarize', region: 'europe-west4', source_contents: 'main:\n  steps:\n    - ask:\n        call: http.post\n        args:\n          url: https://europe-west4-aiplatform.googleapis.com/v1/projects/acme-chat-eu/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent\n' },
      },
      google_cloud_scheduler_job: { nightly: { name: 'nightly', region: 'europe-west4', http_target: [{ uri: 'https://example.com/hook' }] } },
    };
    const result = findings(RULE, tfGraph(bare(resources)));
    expect(result.map((finding) => finding.resource.id)).toEqual(['google_workflows_workflow.summarize']);
    expect(result[0].message).toContain(
      'Project "acme-chat-eu" receives the Vertex AI calls of google_workflows_workflow "google_workflows_workflow.summarize" (source_contents = "https://europe-west4-aiplatform.googleapis.com/v1/projects/acme-chat-eu/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent")',
    );
  });

  test('Compliance: GIVEN a viewer role, a service agent role, the Gen AI SDK switched off, the Gemini API by key, or only the generic GOOGLE_CLOUD_* settings THEN only the one Vertex AI User grant beside them is judged', () => {
    const resources: Resources = {
      google_project_iam_audit_config: { vertex: { project: PROJECT, service: 'aiplatform.googleapis.com', audit_log_config: AUDIT_LOG_TYPES } },
      google_logging_project_bucket_config: { default: { project: PROJECT, location: 'europe-west4', bucket_id: '_Default', retention_days: 400 } },
      google_project_iam_member: {
        user: { project: PROJECT, role: 'roles/aiplatform.user', member: 'group:analysts@example.com' },
        viewer: { project: PROJECT, role: 'roles/aiplatform.viewer', member: 'group:ops@example.com' },
        agent: { project: PROJECT, role: 'roles/aiplatform.serviceAgent', member: 'serviceAccount:service-123@gcp-sa-aiplatform.iam.gserviceaccount.com' },
      },
      google_project_iam_custom_role: { reader: { project: PROJECT, role_id: 'reader', title: 'Reader', permissions: ['aiplatform.endpoints.get'] } },
      google_project_iam_binding: { reader: { project: PROJECT, role: '${google_project_iam_custom_role.reader.id}', members: ['group:ops@example.com'] } },
      ...service([
        { name: 'GOOGLE_GENAI_USE_VERTEXAI', value: 'false' },
        { name: 'GEMINI_API_KEY', value: 'projects/acme-ml/secrets/gemini' },
        { name: 'GEMINI_MODEL', value: 'gemini-2.5-flash' },
        { name: 'GOOGLE_CLOUD_PROJECT', value: PROJECT },
        { name: 'GOOGLE_CLOUD_LOCATION', value: 'europe-west4' },
      ]),
    };
    const report = runGuardrail(tfGraph(bare(resources)), GuardrailPolicy.preset('eu'), { rules: [findRule(RULE)!], today: '2026-11-25' }).report;
    expect(report.findings).toEqual([]);
    expect(report.checks.filter((check) => check.ruleId === RULE).map((check) => check.resource.id)).toEqual(['google_project_iam_member.user']);
  });

  test('Unresolved: GIVEN code switched to Vertex AI whose project comes from a variable, and an audit config for a literal project THEN it cannot be verified', () => {
    const resources: Resources = {
      google_project_iam_audit_config: { vertex: { project: PROJECT, service: 'aiplatform.googleapis.com', audit_log_config: AUDIT_LOG_TYPES } },
      ...service([
        { name: 'GOOGLE_GENAI_USE_VERTEXAI', value: 'true' },
        { name: 'GOOGLE_CLOUD_PROJECT', value: '${var.vertex_project}' },
      ]),
    };
    const [finding] = findings(RULE, tfGraph(bare(resources)));
    expect(finding.cannotVerify).toBe(true);
    expect(finding.found).toBe('template[0].containers[0].env[1].GOOGLE_CLOUD_PROJECT = ${var.vertex_project}');
  });
});

describe('LCG-RES-051 code switched to Vertex AI without a location', () => {
  const RULE = 'LCG-RES-051';
  const run = (name: string, env: { [name: string]: string }) => ({
    [name]: { name, location: 'europe-west4', template: [{ containers: [{ image: 'europe-west4-docker.pkg.dev/acme-ml/app/app:1', env: Object.entries(env).map(([key, value]) => ({ name: key, value })) }] }] },
  });

  test('Unresolved: GIVEN GOOGLE_GENAI_USE_VERTEXAI=True and no location THEN the SDK default decides, which cannot be shown to be in the EU; services that do not call Vertex AI are not flagged', () => {
    const resources: Resources = {
      google_cloud_run_v2_service: {
        ...run('vertex', { GOOGLE_GENAI_USE_VERTEXAI: 'True', GEMINI_MODEL: 'gemini-2.5-flash' }),
        ...run('developerApi', { GOOGLE_GENAI_USE_VERTEXAI: 'false', GEMINI_MODEL: 'gemini-2.5-flash', GOOGLE_CLOUD_PROJECT: PROJECT }),
        ...run('plain', { GOOGLE_CLOUD_PROJECT: PROJECT, LOG_LEVEL: 'info' }),
      },
    };
    const graph = tfGraph(document(resources));
    const [finding, ...others] = findings(RULE, graph);
    expect(others).toEqual([]);
    expect(finding.resource.id).toBe('google_cloud_run_v2_service.vertex');
    expect(finding.cannotVerify).toBe(true);
    expect(finding.message).toContain('Cannot verify where google_cloud_run_v2_service "google_cloud_run_v2_service.vertex" calls Vertex AI: GOOGLE_GENAI_USE_VERTEXAI sends it to Vertex AI, but no location is set');
    expect(finding.found).toBe('template[0].containers[0].env[0].GOOGLE_GENAI_USE_VERTEXAI = "True"; no location setting');
    expect(passes(RULE, graph).sort()).toEqual(['google_cloud_run_v2_service.developerApi', 'google_cloud_run_v2_service.plain']);
  });

  test('Unresolved: GIVEN the location read from a secret (Cloud Run value_source, a function secret variable) THEN it cannot be verified', () => {
    const resources: Resources = {
      google_cloud_run_v2_service: {
        chat: { name: 'chat', location: 'europe-west4', template: [{ containers: [{ image: 'i', env: [{ name: 'GOOGLE_CLOUD_LOCATION', value_source: [{ secret_key_ref: [{ secret: 'loc', version: 'latest' }] }] }] }] }] },
      },
      google_cloudfunctions2_function: {
        fn: { name: 'fn', location: 'europe-west4', service_config: [{ secret_environment_variables: [{ key: 'CLOUD_ML_REGION', project_id: PROJECT, secret: 'region', version: 'latest' }] }] },
      },
    };
    const result = findings(RULE, tfGraph(document(resources)));
    expect(result.map((finding) => [finding.resource.id, finding.cannotVerify, finding.attribute])).toEqual([
      ['google_cloud_run_v2_service.chat', true, 'template[0].containers[0].env[0].GOOGLE_CLOUD_LOCATION'],
      ['google_cloudfunctions2_function.fn', true, 'service_config[0].secret_environment_variables[0].CLOUD_ML_REGION'],
    ]);
  });
});

describe('LCG-RET-004 Cloud Logging bucket retention (the issue fixtures)', () => {
  const RULE = 'LCG-RET-004';

  test('Noncompliance: GIVEN the Vertex AI audit bucket kept 30 days WHEN checked under eu THEN it is short of the SOC 2 year', () => {
    const resources = withResources(workload(), { google_logging_project_bucket_config: { audit: { project: PROJECT, location: 'europe-west4', bucket_id: 'vertex-audit', retention_days: 30 } } });
    expect(findings(RULE, tfGraph(document(resources)))[0]).toMatchObject({ found: 'retention_days = 30 days', expected: 'at least 365 days' });
  });

  test('Compliance: GIVEN 400 days THEN it passes', () => {
    expect(passes(RULE, tfGraph(document(workload())))).toEqual(['google_logging_project_bucket_config.audit']);
  });

  test('Unresolved: GIVEN retention from a variable THEN it fails closed', () => {
    const resources = withResources(workload(), { google_logging_project_bucket_config: { audit: { project: PROJECT, location: 'europe-west4', bucket_id: 'a', retention_days: '${var.days}' } } });
    expect(findings(RULE, tfGraph(document(resources)))[0].message).toMatch(/Cannot verify the retention/);
  });
});

describe('LCG-ENC-050 Google customer-managed keys required by the policy', () => {
  const RULE = 'LCG-ENC-050';

  test('Noncompliance: GIVEN an endpoint, a log bucket and a dataset without keys WHEN the policy requires customer-managed keys THEN each is found', () => {
    const resources = withResources(workload(), {
      google_vertex_ai_endpoint: { endpoint: { name: '1', display_name: 'chat', location: 'europe-west4', private_service_connect_config: { enable_private_service_connect: true } } },
      google_logging_project_bucket_config: { audit: { project: PROJECT, location: 'europe-west4', bucket_id: 'vertex-audit', retention_days: 400 } },
      google_bigquery_dataset: { predictions: { dataset_id: 'p', location: 'europe-west4' } },
    });
    const result = findings(RULE, tfGraph(document(resources)), euWithKeys());
    expect(result.every((finding) => finding.severity === 'error')).toBe(true);
    expect(result.map((finding) => [finding.resource.id, finding.found])).toEqual([
      ['google_bigquery_dataset.predictions', 'default_encryption_configuration.kms_key_name = (not set)'],
      ['google_logging_project_bucket_config.audit', 'cmek_settings.kms_key_name = (not set)'],
      ['google_vertex_ai_endpoint.endpoint', 'encryption_spec.kms_key_name = (not set)'],
    ]);
  });

  test('Compliance: GIVEN keys by reference and by path THEN they pass; WHEN the policy does not require keys THEN missing keys are warnings', () => {
    const graph = tfGraph(document(endpoint({ encryption_spec: { kms_key_name: 'projects/acme-ml/locations/europe-west4/keyRings/r/cryptoKeys/k' } })));
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toHaveLength(3);
    const noKeys = withResources(workload(), { google_bigquery_dataset: { predictions: { dataset_id: 'p', location: 'europe-west4' } } });
    expect(findings(RULE, tfGraph(document(noKeys)), 'soc2').map((finding) => [finding.resource.id, finding.severity])).toEqual([['google_bigquery_dataset.predictions', 'warning']]);
    expect(findings(RULE, tfGraph(document(noKeys)), euWithKeys()).map((finding) => finding.severity)).toEqual(['error']);
  });

  test('Compliance: GIVEN a key read by a data source THEN it names a key', () => {
    expect(findings(RULE, tfGraph(document(endpoint({ encryption_spec: { kms_key_name: '${data.google_kms_crypto_key.shared.id}' } }))))).toEqual([]);
  });

  test('Unresolved: GIVEN a key name from a variable THEN it cannot be verified', () => {
    const [finding] = findings(RULE, tfGraph(document(endpoint({ encryption_spec: { kms_key_name: '${var.kms_key}' } }))));
    expect(finding.message).toMatch(/^Cannot verify that google_vertex_ai_endpoint .* uses a customer-managed key/);
  });
});

describe('LCG-NET-050 Vertex AI endpoint private network', () => {
  const RULE = 'LCG-NET-050';
  const publicEndpoint = () => {
    const base = workload();
    const body: { [key: string]: unknown } = { ...base.google_vertex_ai_endpoint.endpoint };
    delete body.private_service_connect_config;
    return withResources(base, { google_vertex_ai_endpoint: { endpoint: body } });
  };

  test('Noncompliance: GIVEN a public endpoint WHEN the policy does not require private paths (eu) THEN it is a warning', () => {
    const [finding] = findings(RULE, tfGraph(document(publicEndpoint())));
    expect(finding.severity).toBe('warning');
    expect(finding.message).toMatch(/^Vertex AI endpoint "google_vertex_ai_endpoint.endpoint" is public/);
  });

  test('Noncompliance: GIVEN a public endpoint WHEN the policy requires private paths THEN it is an error', () => {
    const [finding] = findings(RULE, tfGraph(document(publicEndpoint())), hipaaPrivate());
    expect(finding.severity).toBe('error');
    expect(finding.message).toMatch(/the policy requires private network paths/);
  });

  test('Noncompliance: GIVEN Private Service Connect switched off explicitly THEN it is public', () => {
    expect(findings(RULE, tfGraph(document(endpoint({ private_service_connect_config: { enable_private_service_connect: false } }))))).toHaveLength(1);
  });

  test('Compliance: GIVEN Private Service Connect, or a peered VPC network THEN the endpoint is private', () => {
    expect(passes(RULE, tfGraph(document(workload())), 'us-hipaa')).toEqual(['google_vertex_ai_endpoint.endpoint']);
    const peered = withResources(publicEndpoint(), { google_compute_network: { vpc: { name: 'vpc' } } });
    peered.google_vertex_ai_endpoint.endpoint = { ...peered.google_vertex_ai_endpoint.endpoint, network: 'projects/${data.google_project.p.number}/global/networks/${google_compute_network.vpc.name}' };
    expect(findings(RULE, tfGraph(document(peered)), 'us-hipaa')).toEqual([]);
  });

  test('Unresolved: GIVEN Private Service Connect from a variable THEN it cannot be verified', () => {
    const [finding] = findings(RULE, tfGraph(document(endpoint({ private_service_connect_config: { enable_private_service_connect: '${var.psc}' } }))), hipaaPrivate());
    expect(finding.message).toMatch(/^Cannot verify that Vertex AI endpoint .* is private/);
    expect(finding.severity).toBe('error');
  });
});

describe('LCG-RET-050 Vertex AI request/response logs in BigQuery', () => {
  const RULE = 'LCG-RET-050';
  const DAY = 86_400_000;
  const logging = (outputUri: string | undefined, dataset: object) =>
    withResources(endpoint({ predict_request_response_logging_config: { enabled: true, sampling_rate: 1, bigquery_destination: outputUri === undefined ? undefined : { output_uri: outputUri } } }), {
      google_bigquery_dataset: { predictions: { dataset_id: 'vertex_predictions', location: 'europe-west4', default_encryption_configuration: { kms_key_name: KEY }, ...dataset } },
    });

  test('Noncompliance: GIVEN request/response logs in a dataset without expiration THEN prompts are kept forever', () => {
    const [finding] = findings(RULE, tfGraph(document(logging('bq://acme-ml.vertex_predictions', {}))));
    expect(finding.resource.id).toBe('google_bigquery_dataset.predictions');
    expect(finding).toMatchObject({ found: 'default_partition_expiration_ms = never expires', expected: 'at most 400 days' });
  });

  test('Noncompliance: GIVEN partitions kept 3650 days, or a dataset labelled as a content log store THEN the maximum is exceeded', () => {
    expect(findings(RULE, tfGraph(document(logging('bq://acme-ml.vertex_predictions', { default_partition_expiration_ms: 3650 * DAY }))))[0].found).toBe('default_partition_expiration_ms = 3650 days');
    const labelled = withResources(workload(), { google_bigquery_dataset: { predictions: { dataset_id: 'p', location: 'europe-west4', labels: { 'llm-guardrail-log-role': 'content' } } } });
    expect(findings(RULE, tfGraph(document(labelled)))[0].expected).toBe('at most 400 days');
  });

  test('Noncompliance: GIVEN an output URI naming only a project THEN Vertex AI creates a dataset that never expires', () => {
    const [finding] = findings(RULE, tfGraph(document(logging('bq://acme-ml', { default_partition_expiration_ms: 400 * DAY }))));
    expect(finding.resource.id).toBe('google_vertex_ai_endpoint.endpoint');
    expect(finding.message).toMatch(/to a dataset without expiration: the URI names only a project/);
  });

  test('Compliance: GIVEN partitions or tables expiring within 400 days, by literal URI or by reference THEN the dataset passes', () => {
    const byName = tfGraph(document(logging('bq://acme-ml.vertex_predictions', { default_partition_expiration_ms: 400 * DAY })));
    expect(findings(RULE, byName)).toEqual([]);
    expect(passes(RULE, byName).sort()).toEqual(['google_bigquery_dataset.predictions', 'google_vertex_ai_endpoint.endpoint']);
    const byReference = tfGraph(document(logging('bq://${google_bigquery_dataset.predictions.project}.${google_bigquery_dataset.predictions.dataset_id}', { default_table_expiration_ms: 30 * DAY })));
    expect(findings(RULE, byReference)).toEqual([]);
    expect(passes(RULE, tfGraph(document(workload()))).sort()).toEqual(['google_bigquery_dataset.predictions', 'google_vertex_ai_endpoint.endpoint']);
  });

  test('Unresolved: GIVEN a destination from a variable, a dataset outside the configuration or an expiration from a variable THEN it cannot be verified', () => {
    expect(findings(RULE, tfGraph(document(logging('${var.log_table}', {}))))[0].message).toMatch(/^Cannot verify how long .* the destination is known only at plan time/);
    expect(findings(RULE, tfGraph(document(logging('bq://acme-ml.elsewhere', {}))))[0].message).toMatch(/dataset "elsewhere" is not part of this configuration/);
    expect(findings(RULE, tfGraph(document(logging('bq://acme-ml.vertex_predictions', { default_partition_expiration_ms: '${var.ms}' }))))[0].message).toMatch(/Cannot verify the retention/);
  });
});

describe('Google rule registry', () => {
  test('the Google rules are registered under ids in the 050–069 band', () => {
    for (const id of ['LCG-RES-050', 'LCG-LOG-050', 'LCG-ENC-050', 'LCG-NET-050', 'LCG-RET-050']) expect(findRule(id)).toBeDefined();
  });
});

describe('one configuration mixing Azure and Google resources', () => {
  test('GIVEN an Azure OpenAI account in westeurope and a Vertex AI endpoint in us-central1 WHEN checked under eu THEN only the Google resource breaks residency', () => {
    const resources = {
      ...endpoint({ location: 'us-central1' }),
      google_kms_key_ring: { ring: { name: 'vertex', location: 'us-central1' } },
      azurerm_resource_group: { rg: { name: 'llm', location: 'westeurope' } },
      azurerm_cognitive_account: { openai: { name: 'llm', kind: 'OpenAI', sku_name: 'S0', location: '${azurerm_resource_group.rg.location}', resource_group_name: '${azurerm_resource_group.rg.name}' } },
    };
    const residency = findings('LCG-RES-001', tfGraph({ ...document(resources), provider: { google: [{ project: PROJECT }], azurerm: [{ features: [{}] }] } }));
    expect(residency.map((finding) => finding.resource.id)).toEqual(['google_kms_key_ring.ring', 'google_vertex_ai_endpoint.endpoint']);
    expect(residency.every((finding) => finding.resource.type.startsWith('google_'))).toBe(true);
  });
});

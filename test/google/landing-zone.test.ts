/**
 * Google Cloud as landing zones run it: Data Access audit logs turned on at
 * the organization or folder (in this configuration or another one the
 * policy declares), and Vertex AI resources beyond endpoints — reasoning
 * engines, feature online stores — judged for residency and keys.
 */
import { GuardrailPolicy } from '../../lib/policy/policy';
import { runGuardrail } from '../../lib/gate/run';
import { findings, passes, tfGraph } from '../support/rules';

const ENDPOINT = 'google_vertex_ai_endpoint.chat';
const endpoint = { chat: { name: 'chat', display_name: 'chat', location: 'europe-west4', project: 'acme-ml' } };
const fullAudit = (extra: object): object => ({ service: 'allServices', audit_log_config: [{ log_type: 'ADMIN_READ' }, { log_type: 'DATA_READ' }, { log_type: 'DATA_WRITE' }], ...extra });

describe('LCG-LOG-050 with audit logs turned on above the project', () => {
  test('GIVEN an organization audit config and the project declared under that organization THEN the endpoint passes', () => {
    const graph = tfGraph({
      resource: {
        google_vertex_ai_endpoint: endpoint,
        google_project: { ml: { name: 'acme-ml', project_id: 'acme-ml', org_id: '123456789' } },
        google_organization_iam_audit_config: { org: fullAudit({ org_id: '123456789' }) },
        // Where the organization keeps them: an aggregated sink to a bucket of the logging project.
        google_logging_organization_sink: { audit: { name: 'audit', org_id: '123456789', include_children: true, filter: 'logName:"data_access"', destination: 'logging.googleapis.com/projects/acme-logs/locations/europe-west4/buckets/audit' } },
        google_logging_project_bucket_config: { audit: { project: 'acme-logs', location: 'europe-west4', bucket_id: 'audit', retention_days: 400 } },
      },
    });
    expect(passes('LCG-LOG-050', graph)).toEqual([ENDPOINT]);
  });

  test('GIVEN a folder audit config without DATA_WRITE and the project in that folder THEN the finding names what is missing', () => {
    const graph = tfGraph({
      resource: {
        google_vertex_ai_endpoint: endpoint,
        google_project: { ml: { name: 'acme-ml', project_id: 'acme-ml', folder_id: 'folders/42' } },
        google_folder_iam_audit_config: { ai: { folder: 'folders/42', service: 'aiplatform.googleapis.com', audit_log_config: [{ log_type: 'DATA_READ' }] } },
      },
    });
    expect(findings('LCG-LOG-050', graph).map((finding) => [finding.cannotVerify, finding.message])).toEqual([[false, expect.stringContaining('does not record DATA_WRITE audit logs')]]);
  });

  test('GIVEN an organization audit config but no sign that the project is under it THEN it cannot be verified, and the fix says how to show it', () => {
    const graph = tfGraph({ resource: { google_vertex_ai_endpoint: endpoint, google_organization_iam_audit_config: { org: fullAudit({ org_id: '123456789' }) } } });
    const [finding] = findings('LCG-LOG-050', graph);
    expect(finding.cannotVerify).toBe(true);
    expect(finding.fix).toContain('centralLogging: [{ project: "acme-ml", provides: [data-access-audit-logs], evidence }]');
  });

  test.each([
    ['the project', 'acme-ml'],
    ['every project', '*'],
  ])('GIVEN the policy declares a landing zone turns on Data Access audit logs for %s THEN the endpoint passes without an audit config here', (_, project) => {
    const policy = GuardrailPolicy.fromSpec({ extends: 'eu', centralLogging: [{ project, provides: ['data-access-audit-logs'], evidence: 'Organization audit config in the landing-zone repository, LZ-77' }] });
    expect(passes('LCG-LOG-050', tfGraph({ resource: { google_vertex_ai_endpoint: endpoint } }), policy)).toEqual([ENDPOINT]);
  });

  test('GIVEN no audit config anywhere and no project named THEN the finding says so, instead of asking for a project', () => {
    const graph = tfGraph({ resource: { google_vertex_ai_endpoint: { chat: { name: 'chat', display_name: 'chat', location: 'europe-west4' } } } });
    const [finding] = findings('LCG-LOG-050', graph);
    expect(finding.cannotVerify).toBe(false);
    expect(finding.message).toContain('this configuration turns on Data Access audit logs nowhere');
  });
});

describe('centralLogging entries for Google Cloud projects', () => {
  test.each([
    ['regions on a project entry', { project: 'acme-ml', regions: ['*'], provides: ['data-access-audit-logs'], evidence: 'Landing zone audit config LZ-77' }, 'regions applies to AWS accounts'],
    ['an AWS kind on a project entry', { project: 'acme-ml', provides: ['trail'], evidence: 'Landing zone audit config LZ-77' }, 'trail is provided for AWS accounts'],
    ['a Google kind on an account entry', { account: '*', regions: ['*'], provides: ['data-access-audit-logs'], evidence: 'Landing zone audit config LZ-77' }, 'is provided for Google Cloud projects'],
    ['both an account and a project', { account: '*', project: 'acme-ml', regions: ['*'], provides: ['trail'], evidence: 'Landing zone audit config LZ-77' }, 'either an AWS account or a Google Cloud project'],
    ['a project id that is not one', { project: 'Acme ML', provides: ['data-access-audit-logs'], evidence: 'Landing zone audit config LZ-77' }, 'must be a Google Cloud project id'],
  ])('GIVEN %s THEN the policy is refused with one line', (_, entry, message) => {
    expect(() => GuardrailPolicy.fromSpec({ extends: 'eu', centralLogging: [entry as never] })).toThrow(message);
  });
});

describe('Vertex AI resources beyond endpoints', () => {
  const reasoningEngine = (extra: object): object => ({ resource: { google_vertex_ai_reasoning_engine: { agent: { display_name: 'agent', project: 'acme-ml', ...extra } } } });

  test.each([
    ['in us-central1', reasoningEngine({ region: 'us-central1' }), false],
    ['with no region and a provider without one', reasoningEngine({}), true],
  ])('GIVEN a reasoning engine %s THEN LCG-RES-001 is a finding', (_, document, cannotVerify) => {
    expect(findings('LCG-RES-001', tfGraph(document)).map((finding) => [finding.resource.id, finding.cannotVerify])).toEqual([['google_vertex_ai_reasoning_engine.agent', cannotVerify]]);
  });

  test('GIVEN a reasoning engine in europe-west4 with a key THEN residency and keys pass', () => {
    const graph = tfGraph(reasoningEngine({ region: 'europe-west4', encryption_spec: [{ kms_key_name: 'projects/acme-ml/locations/europe-west4/keyRings/ai/cryptoKeys/agent' }] }));
    expect([passes('LCG-RES-001', graph), passes('LCG-ENC-050', graph)]).toEqual([['google_vertex_ai_reasoning_engine.agent'], ['google_vertex_ai_reasoning_engine.agent']]);
  });

  test('GIVEN a reasoning engine without encryption_spec under a policy that requires customer-managed keys THEN LCG-ENC-050 is a finding', () => {
    expect(findings('LCG-ENC-050', tfGraph(reasoningEngine({ region: 'europe-west4' }))).map((finding) => finding.resource.id)).toEqual(['google_vertex_ai_reasoning_engine.agent']);
  });

  test('GIVEN a feature online store in europe-west4 THEN it is judged (its region), not left uninspected', () => {
    const graph = tfGraph({ resource: { google_vertex_ai_feature_online_store: { features: { name: 'features', region: 'europe-west4', project: 'acme-ml', bigtable: [{ auto_scaling: [{ min_node_count: 1, max_node_count: 2 }] }] } } } });
    const { report } = runGuardrail(graph, GuardrailPolicy.preset('soc2'), { today: '2026-11-25' });
    expect(report.notInspected).toEqual([]);
    expect(passes('LCG-RES-001', graph)).toEqual(['google_vertex_ai_feature_online_store.features']);
  });
});

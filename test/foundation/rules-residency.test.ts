import { cfnGraph, findings, passes, tfGraph } from '../support/rules';

describe('LCG-RES-001 located resources stay in the jurisdiction', () => {
  const RULE = 'LCG-RES-001';

  test('Noncompliance: an Azure account in uksouth under eu', () => {
    const [finding] = findings(RULE, tfGraph({ resource: { azurerm_cognitive_account: { ai: { location: 'uksouth', '//': { metadata: { path: 'tf/ai' } } } } } }));
    expect(finding.resource).toMatchObject({ id: 'azurerm_cognitive_account.ai', path: 'tf/ai', stack: 'tf' });
    expect(finding.found).toBe('location = uksouth (UK South, GB)');
    expect(finding.expected).toBe('an Azure location in EU (European Union (27 member states))');
    expect(finding.message).toMatch(/Fix: move it/);
  });

  test('Noncompliance: Google europe-west6 (Zurich) under eu, and a BigQuery dataset without location (US default)', () => {
    const result = findings(RULE, tfGraph({ resource: { google_storage_bucket: { b: { location: 'europe-west6' } }, google_bigquery_dataset: { d: { dataset_id: 'd' } } } }));
    expect(result.map((finding) => finding.found)).toEqual([expect.stringContaining('US'), expect.stringContaining('europe-west6')]);
  });

  test('Noncompliance: an aws_ resource whose provider is in London', () => {
    const [finding] = findings(RULE, tfGraph({ provider: { aws: [{ region: 'eu-west-2' }] }, resource: { aws_sqs_queue: { q: {} } } }));
    expect(finding.found).toMatch(/provider region = eu-west-2/);
  });

  test('Compliance: EU locations, any spelling; resources without a location are not judged', () => {
    const graph = tfGraph({
      resource: {
        azurerm_resource_group: { rg: { location: 'West Europe' } },
        azurerm_cognitive_account: { ai: { location: '${azurerm_resource_group.rg.location}' } },
        google_logging_project_bucket_config: { b: { location: 'eu' } },
        azurerm_role_assignment: { r: { scope: 'x' } },
      },
    });
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph).sort()).toEqual(['azurerm_cognitive_account.ai', 'azurerm_resource_group.rg', 'google_logging_project_bucket_config.b']);
  });

  test('Compliance: no residency constraint under soc2', () => {
    expect(findings(RULE, tfGraph({ resource: { azurerm_cognitive_account: { ai: { location: 'uksouth' } } } }), 'soc2')).toEqual([]);
  });

  test('Unresolved: a location from a variable fails closed', () => {
    const [finding] = findings(RULE, tfGraph({ resource: { azurerm_cognitive_account: { ai: { location: '${var.location}' } } } }));
    expect(finding.message).toMatch(/Cannot verify the location/);
    expect(finding.found).toBe('location = ${var.location}');
  });

  test('Unresolved: a location the catalog does not know fails closed', () => {
    const [finding] = findings(RULE, tfGraph({ resource: { azurerm_cognitive_account: { ai: { location: 'atlantis' } } } }));
    expect(finding.message).toMatch(/"atlantis" is not an Azure location the catalog knows/);
  });

  test('Unresolved: a Google regional resource with no region anywhere fails closed', () => {
    const [finding] = findings(RULE, tfGraph({ resource: { google_vertex_ai_endpoint: { e: { name: 'e' } } } }));
    expect(finding.found).toMatch(/provider region/);
  });
});

describe('LCG-RES-002 CloudFormation stacks deploy to an allowed region', () => {
  const RULE = 'LCG-RES-002';
  const template = { Resources: { Q: { Type: 'AWS::SQS::Queue' } } };

  test.each(['eu-west-2', 'eu-central-2', 'us-east-1'])('Noncompliance: a stack in %s under eu', (region) => {
    const [finding] = findings(RULE, cfnGraph(template, region));
    expect(finding.resource).toMatchObject({ id: 'App', type: 'AWS::CloudFormation::Stack' });
    expect(finding.found).toMatch(new RegExp(`region = ${region}`));
  });

  test('Compliance: eu-central-1 under eu, us-east-1 under us-hipaa', () => {
    expect(findings(RULE, cfnGraph(template, 'eu-central-1'))).toEqual([]);
    expect(passes(RULE, cfnGraph(template, 'eu-central-1'))).toEqual(['App']);
    expect(findings(RULE, cfnGraph(template, 'us-east-1'), 'us-hipaa')).toEqual([]);
  });

  test('Unresolved: an environment-agnostic stack fails closed', () => {
    const [finding] = findings(RULE, cfnGraph(template, null));
    expect(finding.message).toMatch(/Cannot verify where stack "App" deploys/);
    expect(finding.fix).toMatch(/env: \{ region/);
  });
});

describe('LCG-RES-003 keys and log destinations referenced by ARN', () => {
  const RULE = 'LCG-RES-003';

  test('Noncompliance: a log group encrypted with a key in us-east-1', () => {
    const [finding] = findings(RULE, cfnGraph({ Resources: { L: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/abc' } } } }));
    expect(finding.message).toMatch(/refers to a KMS key that is in us-east-1/);
    expect(finding.attribute).toBe('KmsKeyId');
  });

  test('Noncompliance: an ARN deep inside lists and objects is reported with its attribute path', () => {
    const target = { Id: 'q', Arn: 'arn:aws:sqs:us-east-1:111111111111:jobs' };
    const [finding] = findings(RULE, cfnGraph({ Resources: { R: { Type: 'AWS::Events::Rule', Properties: { Name: 'no arn here', Targets: [{ Id: 'plain' }, target] } } } }));
    expect(finding.attribute).toBe('Targets[1].Arn');
    expect(finding.found).toBe('Targets[1].Arn = arn:aws:sqs:us-east-1:111111111111:jobs');
  });

  test('Noncompliance: a wildcard region', () => {
    const [finding] = findings(RULE, cfnGraph({ Resources: { T: { Type: 'AWS::CloudTrail::Trail', Properties: { CloudWatchLogsLogGroupArn: 'arn:aws:logs:*:111111111111:log-group:x' } } } }));
    expect(finding.message).toMatch(/matches every region/);
  });

  test('Compliance: keys in the stack region, built with pseudo parameters', () => {
    const graph = cfnGraph({
      Resources: { L: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: { 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/abc' } } } },
    });
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toEqual(['L']);
  });

  test('Unresolved: a key ARN whose region is a deploy-time parameter fails closed', () => {
    const graph = cfnGraph({
      Parameters: { KeyRegion: { Type: 'String' } },
      Resources: { L: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: { 'Fn::Sub': 'arn:aws:kms:${KeyRegion}:111111111111:key/abc' } } } },
    });
    const [finding] = findings(RULE, graph);
    expect(finding.message).toMatch(/cannot be verified/);
  });
});

import { cfnGraph, findings, passes, tfGraph } from '../support/rules';

const trail = (extra: object = {}) => ({
  Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { S3BucketName: { Ref: 'TrailBucket' }, CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': ['TrailLogs', 'Arn'] }, ...extra } },
});

describe('LCG-RET-001 CloudWatch log groups holding audit or prompt logs', () => {
  const RULE = 'LCG-RET-001';

  test('Noncompliance: a CloudTrail log group kept 90 days under eu (SOC 2: 365)', () => {
    const [finding] = findings(RULE, cfnGraph({ Resources: { ...trail(), TrailLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 90 } }, TrailBucket: { Type: 'AWS::S3::Bucket' } } }));
    expect(finding.resource.id).toBe('TrailLogs');
    expect(finding.found).toBe('RetentionInDays = 90 days');
    expect(finding.expected).toBe('at least 365 days');
    expect(finding.fix).toMatch(/RetentionInDays to 365/);
  });

  test('Noncompliance: a HIPAA minimum is rounded up to a value CloudWatch accepts', () => {
    const [finding] = findings(RULE, cfnGraph({ Resources: { ...trail(), TrailLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } }, TrailBucket: { Type: 'AWS::S3::Bucket' } } }, 'us-east-1'), 'us-hipaa');
    expect(finding.fix).toMatch(/RetentionInDays to 2192/);
  });

  test('Noncompliance: a Bedrock invocation log group that never expires holds prompts forever', () => {
    const graph = cfnGraph({
      Resources: {
        Logging: { Type: 'Custom::BedrockInvocationLogging', Properties: { LoggingConfig: { cloudWatchConfig: { logGroupName: { Ref: 'Invocations' } }, textDataDeliveryEnabled: true } } },
        Invocations: { Type: 'AWS::Logs::LogGroup', Properties: {} },
      },
    });
    const [finding] = findings(RULE, graph);
    expect(finding.found).toBe('RetentionInDays = never expires');
    expect(finding.expected).toBe('at most 400 days');
  });

  test('Noncompliance: a log group tagged as a content log store, found by name from a Terraform Bedrock logging configuration', () => {
    const graph = tfGraph({
      provider: { aws: [{ region: 'eu-central-1' }] },
      resource: {
        aws_cloudwatch_log_group: { inv: { name: '/bedrock/invocations', retention_in_days: 3653 } },
        aws_bedrock_model_invocation_logging_configuration: { c: { logging_config: { cloudwatch_config: { log_group_name: '/bedrock/invocations' } } } },
      },
    });
    expect(findings(RULE, graph)[0].expected).toBe('at most 400 days');
  });

  test('Compliance: audit log kept 400 days; unrelated log groups are not judged', () => {
    const graph = cfnGraph({
      Resources: { ...trail(), TrailLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 400 } }, TrailBucket: { Type: 'AWS::S3::Bucket' }, AppLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } } },
    });
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toEqual(['TrailLogs']);
  });

  test('Compliance: the log-role tag makes any log group an audit store', () => {
    const graph = cfnGraph({ Resources: { L: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30, Tags: [{ Key: 'llm-guardrail-log-role', Value: 'audit' }] } } } });
    expect(findings(RULE, graph)).toHaveLength(1);
    expect(findings(RULE, graph, 'soc2')[0].expected).toBe('at least 365 days');
  });

  test('Unresolved: retention from a deploy-time parameter fails closed', () => {
    const graph = cfnGraph({
      Parameters: { Days: { Type: 'Number' } },
      Resources: { ...trail(), TrailLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: { Ref: 'Days' } } }, TrailBucket: { Type: 'AWS::S3::Bucket' } },
    });
    const [finding] = findings(RULE, graph);
    expect(finding.message).toMatch(/Cannot verify the retention/);
  });
});

describe('LCG-RET-002 S3 log buckets', () => {
  const RULE = 'LCG-RET-002';
  const bucket = (properties: object) =>
    cfnGraph({ Resources: { ...trail(), TrailLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 400 } }, TrailBucket: { Type: 'AWS::S3::Bucket', Properties: properties } } });

  test('Noncompliance: a trail bucket expiring logs after 30 days', () => {
    const [finding] = findings(RULE, bucket({ LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 30 }] } }));
    expect(finding.found).toBe('LifecycleConfiguration = 30 days');
    expect(finding.expected).toBe('at least 365 days');
  });

  test('Noncompliance: a prefix rule that expires part of the logs early still counts', () => {
    expect(findings(RULE, bucket({ LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 3650 }, { Status: 'Enabled', Prefix: 'AWSLogs/', ExpirationInDays: 7 }] } }))).toHaveLength(1);
  });

  test('Noncompliance: a content bucket that is versioned without noncurrent expiration keeps prompts forever', () => {
    const graph = cfnGraph({
      Resources: {
        Logging: { Type: 'Custom::BedrockInvocationLogging', Properties: { LoggingConfig: { s3Config: { bucketName: { Ref: 'Inv' } } } } },
        Inv: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' }, LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 365 }] } } },
      },
    });
    const [finding] = findings(RULE, graph);
    expect(finding.found).toBe('LifecycleConfiguration = never expires');
  });

  test('Noncompliance: a quoted number of days counts as that number (CloudFormation accepts "30")', () => {
    expect(findings(RULE, bucket({ LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: '30' }] } }))[0].found).toBe('LifecycleConfiguration = 30 days');
  });

  test('Noncompliance: a content bucket whose only rule selects tagged or sized objects keeps the others forever', () => {
    const contentBucket = (rule: object) =>
      cfnGraph({
        Resources: {
          Logging: { Type: 'Custom::BedrockInvocationLogging', Properties: { LoggingConfig: { s3Config: { bucketName: { Ref: 'Inv' } } } } },
          Inv: { Type: 'AWS::S3::Bucket', Properties: { LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 365, ...rule }] } } },
        },
      });
    for (const rule of [{ TagFilters: [{ Key: 'class', Value: 'temp' }] }, { ObjectSizeGreaterThan: 1000000 }, { ObjectSizeLessThan: 128 }]) {
      expect(findings(RULE, contentBucket(rule)).map((finding) => finding.found)).toEqual(['LifecycleConfiguration = never expires']);
    }
    expect(findings(RULE, contentBucket({}))).toEqual([]);
  });

  test('Unresolved: an expiration on a calendar date, or days that are not a number, cannot be verified', () => {
    expect(findings(RULE, bucket({ LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationDate: '2027-01-01T00:00:00.000Z' }] } }))[0].message).toMatch(/Cannot verify/);
    expect(findings(RULE, bucket({ LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 'thirty' }] } }))[0].message).toMatch(/Cannot verify/);
  });

  test('Compliance: a versioned content bucket expiring current and old versions within 400 days', () => {
    const graph = cfnGraph({
      Resources: {
        Logging: { Type: 'Custom::BedrockInvocationLogging', Properties: { LoggingConfig: { s3Config: { bucketName: { Ref: 'Inv' } } } } },
        Inv: {
          Type: 'AWS::S3::Bucket',
          Properties: { VersioningConfiguration: { Status: 'Enabled' }, LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }] } },
        },
      },
    });
    expect(findings(RULE, graph)).toEqual([]);
    expect(passes(RULE, graph)).toEqual(['Inv']);
  });

  test('Compliance: an audit-only trail bucket without expiration keeps logs forever, which the minimum allows', () => {
    expect(findings(RULE, bucket({}))).toEqual([]);
  });

  test('Unresolved: an expiration from a parameter fails closed', () => {
    const [finding] = findings(RULE, bucket({ LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: { 'Fn::ImportValue': 'days' } }] } }));
    expect(finding.message).toMatch(/Cannot verify/);
  });
});

describe('LCG-RET-003 Log Analytics workspaces', () => {
  const RULE = 'LCG-RET-003';
  const workspace = (properties: object, extra: object = {}) => tfGraph({ resource: { azurerm_log_analytics_workspace: { w: { location: 'westeurope', ...properties } }, ...extra } });

  test('Noncompliance: retention 30 days (and the 30-day default when absent)', () => {
    expect(findings(RULE, workspace({ retention_in_days: 30 }))[0].found).toBe('retention_in_days = 30 days');
    expect(findings(RULE, workspace({}))[0].found).toBe('retention_in_days = 30 days');
  });

  test('Noncompliance: HIPAA six years cannot be met by the workspace alone; the fix names table retention', () => {
    const [finding] = findings(RULE, workspace({ retention_in_days: 730 }), 'us-hipaa');
    expect(finding.expected).toBe('at least 2190 days');
    expect(finding.fix).toMatch(/azurerm_log_analytics_workspace_table "AzureDiagnostics" with total_retention_in_days = 2190/);
  });

  test('Compliance: 365 days under eu; 730 days plus a 2190-day AzureDiagnostics table under us-hipaa', () => {
    expect(findings(RULE, workspace({ retention_in_days: 365 }))).toEqual([]);
    const hipaa = workspace(
      { retention_in_days: 730 },
      { azurerm_log_analytics_workspace_table: { t: { name: 'AzureDiagnostics', workspace_id: '${azurerm_log_analytics_workspace.w.id}', total_retention_in_days: 2190 } } },
    );
    expect(findings(RULE, hipaa, 'us-hipaa')).toEqual([]);
    expect(passes(RULE, hipaa, 'us-hipaa')).toEqual(['azurerm_log_analytics_workspace.w']);
  });

  test('Unresolved: retention from a variable fails closed', () => {
    expect(findings(RULE, workspace({ retention_in_days: '${var.days}' }))[0].message).toMatch(/Cannot verify/);
  });
});

describe('LCG-RET-004 Cloud Logging buckets', () => {
  const RULE = 'LCG-RET-004';
  const bucket = (properties: object) => tfGraph({ resource: { google_logging_project_bucket_config: { b: { location: 'europe-west4', bucket_id: 'audit', ...properties } } } });

  test('Noncompliance: the 30-day default', () => {
    expect(findings(RULE, bucket({}))[0]).toMatchObject({ found: 'retention_days = 30 days', expected: 'at least 365 days' });
    expect(findings(RULE, bucket({ retention_days: 30 }))).toHaveLength(1);
  });

  test('Noncompliance: a content bucket kept beyond the maximum', () => {
    const [finding] = findings(RULE, bucket({ retention_days: 3650, labels: { 'llm-guardrail-log-role': 'audit-content' } }));
    expect(finding.expected).toBe('at most 400 days');
  });

  test('Compliance: 400 days', () => {
    expect(findings(RULE, bucket({ retention_days: 400 }))).toEqual([]);
    expect(passes(RULE, bucket({ retention_days: 400 }))).toEqual(['google_logging_project_bucket_config.b']);
  });

  test('Unresolved: retention from a variable fails closed', () => {
    expect(findings(RULE, bucket({ retention_days: '${var.days}' }))[0].message).toMatch(/Cannot verify/);
  });
});

describe('LCG-RET-050 Cloud Storage buckets holding logs (lifecycle rules and retention policy)', () => {
  const RULE = 'LCG-RET-050';
  /** A bucket labelled as a log store of `role`, with the given lifecycle rules and other arguments. */
  type LifecycleRule = readonly [condition: object, type: string];
  const bucket = (rules: LifecycleRule[], properties: object = {}, role = 'audit') =>
    tfGraph({
      resource: {
        google_storage_bucket: {
          b: { name: 'logs', location: 'EU', labels: { 'llm-guardrail-log-role': role }, lifecycle_rule: rules.map(([condition, type]) => ({ condition: [condition], action: [{ type }] })), ...properties },
        },
      },
    });
  const rule = (condition: object, type = 'Delete'): LifecycleRule => [condition, type];
  const found = (graph: ReturnType<typeof bucket>) => findings(RULE, graph).map((finding) => finding.found);

  test('Noncompliance: a rule for part of the bucket (prefix, suffix, storage class) still deletes some audit logs that early', () => {
    expect(found(bucket([rule({ age: 3, matches_prefix: ['tmp/'] }), rule({ age: 500 })]))).toEqual(['lifecycle_rule = 3 days']);
    expect(found(bucket([rule({ age: 10, matches_storage_class: ['STANDARD'] })]))).toEqual(['lifecycle_rule = 10 days']);
  });

  test('Noncompliance: in a versioned bucket a rule for live objects leaves their noncurrent versions, which a content store keeps forever unless a rule for them ends it', () => {
    const versioned = { versioning: [{ enabled: true }] };
    expect(found(bucket([rule({ age: 30, with_state: 'LIVE' })], versioned, 'content'))).toEqual(['lifecycle_rule = never expires']);
    expect(found(bucket([rule({ age: 300, with_state: 'LIVE' }), rule({ days_since_noncurrent_time: 200 })], versioned, 'content'))).toEqual(['lifecycle_rule = 500 days']);
    expect(findings(RULE, bucket([rule({ age: 300, with_state: 'LIVE' }), rule({ days_since_noncurrent_time: 30 })], versioned, 'content'))).toEqual([]);
    // Without with_state a rule deletes live and noncurrent objects at the same age.
    expect(findings(RULE, bucket([rule({ age: 300 })], versioned, 'content'))).toEqual([]);
  });

  test('Compliance: a retention policy holds objects for its period whatever the lifecycle deletes; storage-class moves and noncurrent-only rules delete no live logs', () => {
    expect(findings(RULE, bucket([rule({ age: 7 })], { retention_policy: [{ retention_period: '34560000' }] }))).toEqual([]);
    expect(findings(RULE, bucket([rule({ age: 30 }, 'SetStorageClass'), rule({ num_newer_versions: 3 }), rule({ age: 1, with_state: 'ARCHIVED' })]))).toEqual([]);
    expect(passes(RULE, bucket([rule({ age: 400 })]))).toEqual(['google_storage_bucket.b']);
  });

  test('Unresolved: a rule deleting the whole bucket at a date or by custom time, an age or retention period from a variable', () => {
    const unknown = (graph: ReturnType<typeof bucket>) => findings(RULE, graph).map((finding) => [finding.cannotVerify, finding.found]);
    expect(unknown(bucket([rule({ created_before: '2027-01-01' })]))).toEqual([[true, 'lifecycle_rule.condition = lifecycle deletion by created_before ("2027-01-01") (unresolved)']]);
    expect(unknown(bucket([rule({ days_since_custom_time: 30 })]))[0][0]).toBe(true);
    expect(unknown(bucket([rule({ age: '${var.days}' })]))[0][0]).toBe(true);
    expect(unknown(bucket([rule({ age: 400 })], { retention_policy: [{ retention_period: '${var.seconds}' }] }))[0][0]).toBe(true);
    // A dated rule for part of the bucket leaves the rest to the other rules.
    expect(findings(RULE, bucket([rule({ created_before: '2027-01-01', matches_prefix: ['tmp/'] }), rule({ age: 400 })]))).toEqual([]);
  });
});

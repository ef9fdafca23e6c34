import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { App, Stack, aws_ec2 as ec2, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BedrockAuditTrail, BedrockDataRetention, BedrockInvocationLogging, BedrockModelAccess, BedrockPrivateEndpoint } from '../../constructs/aws';
import { handlerCode } from '../../constructs/aws/handler-code';
import { runGuardrail } from '../../lib/gate/run';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { exampleGraph } from '../../lib/rules/examples';
import { cfnGraph, gateErrors } from '../support/rules';
import { EU_ENV } from './support';

const EU = GuardrailPolicy.preset('eu');
const HIPAA = GuardrailPolicy.preset('us-hipaa');
const SOC2 = GuardrailPolicy.preset('soc2');

/** A foundation-model ARN as the constructs write it (partition from the stack). */
function modelArn(region: string, modelId: string): object {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:${region}::foundation-model/${modelId}`]] };
}

function invokeStatementsOf(template: Template): { Action: string[]; Resource: unknown; Condition?: unknown }[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => (policy as { Properties: { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement);
}

describe('BedrockModelAccess', () => {
  test('GIVEN a foundation model WHEN granted THEN the role may invoke exactly that model in the stack region', () => {
    const stack = new Stack(new App(), 'Models', { env: EU_ENV });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    const access = new BedrockModelAccess(stack, 'Models', { foundationModelIds: ['amazon.nova-micro-v1:0'], policy: EU });
    access.grantInvoke(role);
    expect(invokeStatementsOf(Template.fromStack(stack))).toEqual([
      { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: modelArn('eu-central-1', 'amazon.nova-micro-v1:0') },
    ]);
  });

  test('GIVEN the eu policy WHEN an eu. profile is granted THEN the model is granted only in the EU destinations (not London, not Zurich), and the gate accepts it', () => {
    const stack = new Stack(new App(), 'Models', { env: EU_ENV });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    new BedrockModelAccess(stack, 'Europe', { inferenceProfileIds: ['eu.anthropic.claude-haiku-4-5-20251001-v1:0'], policy: EU }).grantInvoke(role);
    const template = Template.fromStack(stack);
    const [profile, destinations] = invokeStatementsOf(template);
    expect(JSON.stringify(profile.Resource)).toContain('inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    const resources = JSON.stringify(destinations.Resource);
    for (const region of ['eu-central-1', 'eu-west-1', 'eu-west-3']) expect(resources).toContain(`:bedrock:${region}::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0`);
    for (const region of ['eu-west-2', 'eu-central-2']) expect(resources).not.toContain(`:bedrock:${region}::`);
    // The destinations only through the profile: the role cannot call the model directly in Ireland or Paris.
    expect(JSON.stringify(destinations.Condition)).toContain('"bedrock:InferenceProfileArn"');
    const graph = exampleGraph({ description: 'eu. profile', stacks: [{ format: 'cloudformation', region: 'eu-central-1', document: template.toJSON() }] });
    const report = runGuardrail(graph, EU, { today: '2026-11-25' }).report;
    expect(report.findings.filter((finding) => finding.ruleId === 'LCG-RES-010')).toEqual([]);
    // Calls are made (and logged) in the source region only.
    expect(report.findings.filter((finding) => finding.ruleId === 'LCG-LOG-010').map((finding) => finding.message)).toEqual([expect.stringContaining('/eu-central-1 ')]);
  });

  test.each([
    ['a global. profile', { inferenceProfileIds: ['global.anthropic.claude-sonnet-4-5-20250929-v1:0'] }, /inference-profile\/global\./],
    ['a model in a US region', { foundationModelIds: ['amazon.nova-micro-v1:0'], region: 'us-east-1' }, /us-east-1/],
    ['a us. profile', { inferenceProfileIds: ['us.amazon.nova-micro-v1:0'] }, /us\./],
    ['a profile of unknown geography', { inferenceProfileIds: ['xx.amazon.nova-micro-v1:0'] }, /xx\./],
  ])('GIVEN the eu policy WHEN %s is granted THEN the grant is built as asked and the gate reports it (LCG-RES-010)', (_what, props, found) => {
    const stack = new Stack(new App(), 'Models', { env: EU_ENV });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    new BedrockModelAccess(stack, 'Access', { ...props, policy: EU }).grantInvoke(role);
    const report = runGuardrail(cfnGraph(Template.fromStack(stack).toJSON()), EU, { today: '2026-11-25' }).report;
    const residency = report.findings.filter((finding) => finding.ruleId === 'LCG-RES-010');
    expect(residency.length).toBeGreaterThan(0);
    expect(residency.some((finding) => found.test(finding.found))).toBe(true);
  });

  test('GIVEN the eu policy WHEN a model id is a wildcard, or no model is named THEN the construct throws one line', () => {
    const stack = new Stack(new App(), 'Models', { env: EU_ENV });
    expect(() => new BedrockModelAccess(stack, 'Wildcard', { foundationModelIds: ['anthropic.*'], policy: EU })).toThrow(/wildcards would grant models outside the policy/);
    expect(() => new BedrockModelAccess(stack, 'Nothing', { policy: EU })).toThrow(/no model named/);
  });

  test('GIVEN a policy without residency WHEN a us. profile is granted THEN the profile and the model in every destination region are granted', () => {
    const stack = new Stack(new App(), 'Models', { env: { account: '111111111111', region: 'us-east-1' } });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    new BedrockModelAccess(stack, 'Models', { inferenceProfileIds: ['us.amazon.nova-micro-v1:0'], policy: SOC2 }).grantInvoke(role);
    const [profile, destinations] = invokeStatementsOf(Template.fromStack(stack));
    expect(JSON.stringify(profile.Resource)).toContain('inference-profile/us.amazon.nova-micro-v1:0');
    const resources = JSON.stringify(destinations.Resource);
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) expect(resources).toContain(`:bedrock:${region}::foundation-model/amazon.nova-micro-v1:0`);
    expect(JSON.stringify(destinations.Condition)).toContain('"bedrock:InferenceProfileArn"');
  });

  test('GIVEN an application inference profile and a private endpoint WHEN granted THEN the profile copies the model, and calls must come through the endpoint', () => {
    const stack = new Stack(new App(), 'Models', { env: EU_ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }], availabilityZones: ['eu-central-1a', 'eu-central-1b'] });
    const endpoint = new BedrockPrivateEndpoint(stack, 'Endpoint', { vpc });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    const access = new BedrockModelAccess(stack, 'Models', {
      foundationModelIds: ['amazon.nova-micro-v1:0'],
      policy: EU,
      applicationInferenceProfileName: 'support-assistant',
      applicationInferenceProfileTags: { CostCenter: 'support' },
      privateEndpoint: endpoint,
    });
    access.grantInvoke(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Bedrock::ApplicationInferenceProfile', {
      InferenceProfileName: 'support-assistant',
      ModelSource: { CopyFrom: modelArn('eu-central-1', 'amazon.nova-micro-v1:0') },
      Tags: [{ Key: 'CostCenter', Value: 'support' }],
    });
    const [statement] = invokeStatementsOf(template);
    expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceVpce': { Ref: expect.stringMatching(/^Endpoint/) } } });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.eu-central-1.bedrock-runtime',
      PrivateDnsEnabled: true,
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Principal: { AWS: '*' }, Resource: Match.arrayWith([modelArn('eu-central-1', 'amazon.nova-micro-v1:0')]) })] },
    });
    expect(JSON.stringify(access.invocationArn)).toContain('Token');
  });

  test('GIVEN an environment-agnostic stack WHEN models are granted THEN the construct leaves the verdict to the gate (which fails closed)', () => {
    const stack = new Stack(new App(), 'Anywhere');
    expect(() => new BedrockModelAccess(stack, 'Models', { foundationModelIds: ['amazon.nova-micro-v1:0'], policy: EU })).not.toThrow();
  });
});

describe('BedrockInvocationLogging', () => {
  const stack = new Stack(new App(), 'Logging', { env: EU_ENV });
  const logging = new BedrockInvocationLogging(stack, 'InvocationLogging', { policy: EU });
  const template = Template.fromStack(stack);

  test('THEN a Custom::BedrockInvocationLogging resource configures CloudWatch and S3 delivery with text on, and keeps logging on at delete', () => {
    template.hasResourceProperties('Custom::BedrockInvocationLogging', {
      LoggingConfig: {
        cloudWatchConfig: {
          logGroupName: { Ref: Match.stringLikeRegexp('^InvocationLoggingLogGroup') },
          roleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^InvocationLoggingDeliveryRole'), 'Arn'] },
          largeDataDeliveryS3Config: { bucketName: { Ref: Match.stringLikeRegexp('^InvocationLoggingBucket') }, keyPrefix: 'bedrock-invocation-logs-large-data' },
        },
        s3Config: { bucketName: { Ref: Match.stringLikeRegexp('^InvocationLoggingBucket') }, keyPrefix: 'bedrock-invocation-logs' },
        textDataDeliveryEnabled: true,
        imageDataDeliveryEnabled: false,
      },
      RetainOnDelete: true,
    });
  });

  test('THEN the log group is KMS-encrypted, kept 365 days (eu: audit minimum 365, content maximum 400) and retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^InvocationLoggingKey'), 'Arn'] }, Tags: [{ Key: 'llm-guardrail-log-role', Value: 'audit-content' }] },
      DeletionPolicy: 'Retain',
    });
  });

  test('THEN the bucket is KMS-encrypted, versioned, private, TLS-only, and expires objects inside the policy range', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: { Rules: [Match.objectLike({ Status: 'Enabled', ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 } })] },
      }),
      DeletionPolicy: 'Retain',
    });
    const policy = JSON.stringify(template.findResources('AWS::S3::BucketPolicy'));
    expect(policy).toContain('"aws:SecureTransport":"false"');
    expect(policy).toContain('BedrockModelInvocationLogs/*');
    expect(policy).toContain('"aws:SourceAccount":"111111111111"');
  });

  test('THEN Bedrock may assume the delivery role only for this account and region, and the handler may pass only that role', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'bedrock.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:eu-central-1:111111111111:*']] } } },
          },
        ],
      },
    });
    const handlerPolicy = JSON.stringify(template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('HandlerRole') } }));
    expect(handlerPolicy).toContain('"iam:PassedToService":"bedrock.amazonaws.com"');
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Handler: 'invocation-logging.handler' });
  });

  test('THEN the deployed handler code is plain JavaScript that exports the handler and uses the runtime SDK', () => {
    const code = handlerCode() as lambda.AssetCode;
    for (const file of ['invocation-logging.js', 'data-retention.js', 'runtime.js']) expect(() => new vm.Script(fs.readFileSync(path.join(code.path, file), 'utf8'))).not.toThrow();
    const source = fs.readFileSync(path.join(code.path, 'invocation-logging.js'), 'utf8');
    expect(source).toContain('exports.handler = handler');
    expect(source).toContain('require("@aws-sdk/client-bedrock")');
    expect(source).toContain('require("./runtime")');
    expect(logging.handler.runtime.name).toBe('nodejs24.x');
  });

  test('GIVEN the us-hipaa policy WHEN logging is created THEN logs are kept at least six years', () => {
    const hipaa = new Stack(new App(), 'Hipaa', { env: { account: '111111111111', region: 'us-east-1' } });
    new BedrockInvocationLogging(hipaa, 'InvocationLogging', { policy: HIPAA });
    const hipaaTemplate = Template.fromStack(hipaa);
    hipaaTemplate.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 2192, Tags: Match.anyValue() });
    hipaaTemplate.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 2190 })] } });
  });

  test('GIVEN retention outside the policy WHEN logging is created THEN it is built as asked and the gate reports it (LCG-RET-001, LCG-RET-002)', () => {
    const other = new Stack(new App(), 'Other', { env: EU_ENV });
    new BedrockInvocationLogging(other, 'TooLong', { policy: EU, retentionDays: 3653 });
    const template = Template.fromStack(other);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 3653 });
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 3653 })] } });
    const ruleIds = gateErrors(cfnGraph(template.toJSON())).map((line) => line.split(' ')[0]);
    expect(ruleIds).toEqual(expect.arrayContaining(['LCG-RET-001', 'LCG-RET-002']));
  });

  test('GIVEN options that log nothing or a retention that is no number of days WHEN logging is created THEN the construct throws one clear line', () => {
    const other = new Stack(new App(), 'Other', { env: EU_ENV });
    expect(() => new BedrockInvocationLogging(other, 'Nothing', { policy: EU, cloudWatchDelivery: false, s3Delivery: false })).toThrow(/both off, so nothing would be logged/);
    expect(() => new BedrockInvocationLogging(other, 'Zero', { policy: EU, retentionDays: 0 })).toThrow(/retention of 0 days is not a whole number of days, at least 1/);
  });

  test('GIVEN disableLoggingOnDelete WHEN synthesized THEN the handler is told to delete, and the stores follow the stack', () => {
    const other = new Stack(new App(), 'Other', { env: EU_ENV });
    new BedrockInvocationLogging(other, 'InvocationLogging', { policy: EU, disableLoggingOnDelete: true, cloudWatchDelivery: false });
    const otherTemplate = Template.fromStack(other);
    otherTemplate.hasResourceProperties('Custom::BedrockInvocationLogging', { RetainOnDelete: false, LoggingConfig: Match.objectLike({ cloudWatchConfig: Match.absent() }) });
    otherTemplate.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
  });
});

describe('BedrockAuditTrail', () => {
  const stack = new Stack(new App(), 'Audit', { env: EU_ENV });
  new BedrockAuditTrail(stack, 'AuditTrail', { policy: EU, trailName: 'bedrock-audit' });
  const template = Template.fromStack(stack);

  test('THEN the trail logs, validates log files, covers every region, is KMS-encrypted and records management plus Bedrock data events', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'bedrock-audit',
      IsLogging: true,
      EnableLogFileValidation: true,
      IsMultiRegionTrail: true,
      KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditTrailKey'), 'Arn'] },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditTrailLogGroup'), 'Arn'] },
      AdvancedEventSelectors: Match.arrayWith([
        { Name: 'Management events (include bedrock-runtime calls)', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        Match.objectLike({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Bedrock::AgentAlias'] }] }),
      ]),
    });
  });

  test('THEN CloudTrail may use the key and write only this trail into the bucket', () => {
    const key = JSON.stringify(template.findResources('AWS::KMS::Key'));
    expect(key).toContain('kms:EncryptionContext:aws:cloudtrail:arn');
    const bucketPolicy = JSON.stringify(template.findResources('AWS::S3::BucketPolicy'));
    expect(bucketPolicy).toContain(':cloudtrail:eu-central-1:111111111111:trail/bedrock-audit');
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, Tags: [{ Key: 'llm-guardrail-log-role', Value: 'audit' }] });
  });
});

describe('BedrockPrivateEndpoint', () => {
  test('GIVEN an endpoint no model access uses WHEN synthesized THEN validation says so', () => {
    const stack = new Stack(new App(), 'Network', { env: EU_ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }], availabilityZones: ['eu-central-1a'] });
    new BedrockPrivateEndpoint(stack, 'Endpoint', { vpc });
    expect(() => Template.fromStack(stack)).toThrow(/no BedrockModelAccess uses it/);
  });
});

describe('BedrockDataRetention', () => {
  test('GIVEN the default WHEN synthesized THEN a custom resource sets mode none with a role limited to the data-retention calls, and the gate reads it', () => {
    const stack = new Stack(new App(), 'Retention', { env: EU_ENV });
    new BedrockDataRetention(stack, 'DataRetention');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::BedrockDataRetention', { Mode: 'none', RetainOnDelete: true });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'data-retention.handler', Runtime: 'nodejs24.x' });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).toContain('"bedrock:PutAccountDataRetention","bedrock:GetAccountDataRetention"');
  });

  test('GIVEN a policy requiring zero data retention WHEN another mode is asked for THEN it is set as asked and the gate reports it (LCG-RET-013)', () => {
    const stack = new Stack(new App(), 'Retention', { env: EU_ENV });
    const policy = GuardrailPolicy.fromSpec({ extends: 'eu', requireZeroDataRetention: true });
    new BedrockDataRetention(stack, 'Sharing', { mode: 'provider_data_share' });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    new BedrockModelAccess(stack, 'Access', { foundationModelIds: ['amazon.nova-micro-v1:0'], policy }).grantInvoke(role);
    const report = runGuardrail(cfnGraph(Template.fromStack(stack).toJSON()), policy, { today: '2026-11-25' }).report;
    expect(report.findings.filter((finding) => finding.ruleId === 'LCG-RET-013').map((finding) => finding.found).join(' ')).toContain('provider_data_share');
    expect(() => new BedrockDataRetention(stack, 'Odd', { mode: 'aws_review' as never })).toThrow('is not an account data retention mode');
  });
});

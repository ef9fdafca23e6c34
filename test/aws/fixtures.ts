/** Small CloudFormation fixtures for the AWS rule tests. */
import { resourcesFromTemplate } from '../../lib/input/cloudformation';
import { Resource, ResourceGraph, StackInfo } from '../../lib/core/graph';
import { Unresolved } from '../../lib/core/values';

export type Template = { Resources: { [logicalId: string]: object }; Parameters?: object; Conditions?: object };

/** A stack: name, template, and its environment (null = known only at deploy time). */
export interface FixtureStack {
  readonly name: string;
  readonly template: Template;
  readonly region?: string | null;
  readonly account?: string | null;
}

/** A graph of one or more CloudFormation stacks (default environment 111111111111/eu-central-1). */
export function graphOf(...stacks: FixtureStack[]): ResourceGraph {
  const infos: StackInfo[] = [];
  const resources: Resource[] = [];
  for (const fixture of stacks) {
    const region = fixture.region === undefined ? 'eu-central-1' : fixture.region;
    const account = fixture.account === undefined ? '111111111111' : fixture.account;
    const info: StackInfo = {
      name: fixture.name,
      format: 'cloudformation',
      file: `${fixture.name}.template.json`,
      region: region ?? new Unresolved('AWS::Region', 'the stack is environment-agnostic'),
      account: account ?? new Unresolved('AWS::AccountId', 'the stack is environment-agnostic'),
      path: fixture.name,
    };
    infos.push(info);
    resources.push(...resourcesFromTemplate(fixture.template, info));
  }
  return new ResourceGraph(infos, resources);
}

/** An IAM policy with one Allow statement. */
export function invokePolicy(resource: unknown, statement: object = {}): object {
  return {
    Type: 'AWS::IAM::Policy',
    Properties: {
      PolicyName: 'invoke',
      Roles: ['app-role'],
      PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: resource, ...statement }] },
    },
  };
}

export const EU_MODEL = 'arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-micro-v1:0';

/** A KMS key, a log group and a bucket delivering invocation logs, with the given LoggingConfig changes. */
export function invocationLogging(config: object = {}): { [logicalId: string]: object } {
  return {
    LogKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
    InvocationLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': ['LogKey', 'Arn'] } } },
    InvocationBucket: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['LogKey', 'Arn'] } } }] },
        LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 365 }] },
      },
    },
    DeliveryRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    InvocationLogging: {
      Type: 'Custom::BedrockInvocationLogging',
      Properties: {
        ServiceToken: 'arn:aws:lambda:eu-central-1:111111111111:function:logging',
        LoggingConfig: {
          cloudWatchConfig: { logGroupName: { Ref: 'InvocationLogs' }, roleArn: { 'Fn::GetAtt': ['DeliveryRole', 'Arn'] } },
          s3Config: { bucketName: { Ref: 'InvocationBucket' } },
          textDataDeliveryEnabled: true,
          ...config,
        },
      },
    },
  };
}

/** A logging multi-region trail with management events (no selectors). */
export function trail(properties: object = {}): object {
  return { Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, IsMultiRegionTrail: true, S3BucketName: 'trail-bucket', KMSKeyId: 'arn:aws:kms:eu-central-1:111111111111:key/1234', ...properties } };
}

/** An interface endpoint for bedrock-runtime in eu-central-1 with private DNS. */
export function runtimeEndpoint(properties: object = {}): object {
  return {
    Type: 'AWS::EC2::VPCEndpoint',
    Properties: { ServiceName: 'com.amazonaws.eu-central-1.bedrock-runtime', VpcEndpointType: 'Interface', PrivateDnsEnabled: true, VpcId: 'vpc-1', ...properties },
  };
}

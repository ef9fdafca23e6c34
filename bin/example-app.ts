#!/usr/bin/env node
/**
 * Example: an EU workload that calls Amazon Bedrock in eu-central-1
 * (Frankfurt) and passes the `eu` policy preset named in cdk.json.
 *
 *   npx cdk synth                                              # passes
 *   npx cdk synth -c llm-guardrail:example-violation=true      # fails: a global inference profile
 *
 * Context:
 *   llm-guardrail:example-account    account id of the stack (default: the CLI's account, else 111111111111)
 *   llm-guardrail:example-model      foundation model id (default: anthropic.claude-3-haiku-20240307-v1:0)
 *   llm-guardrail:example-violation  "true" adds a grant that breaks the policy
 */
import { App, Duration, RemovalPolicy, Stack, StackProps, Validations, aws_ec2 as ec2, aws_iam as iam, aws_lambda as lambda, aws_logs as logs, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { ComplianceGate } from '../aspects/cdk';
import { BedrockAuditTrail, BedrockInvocationLogging, BedrockModelAccess, BedrockPrivateEndpoint } from '../constructs/aws';

/** Frankfurt: inside the EU, and hosting the model in-region (no cross-region profile needed). */
const REGION = 'eu-central-1';

export interface ExampleWorkloadProps extends StackProps {
  /** Foundation model the application invokes. */
  readonly modelId: string;
  /** Adds a grant on a global inference profile, which the `eu` policy forbids. */
  readonly violation?: boolean;
}

/**
 * A chat function in a private VPC calling one Bedrock model through a
 * private endpoint, with invocation logging and a CloudTrail trail kept as
 * long as the policy says.
 */
export class ExampleWorkloadStack extends Stack {
  /** Fixed zones: no lookup in the account, so synthesis needs no AWS credentials. */
  get availabilityZones(): string[] {
    return [`${REGION}a`, `${REGION}b`];
  }

  constructor(scope: Construct, id: string, props: ExampleWorkloadProps) {
    super(scope, id, props);
    // Log delivery into the access-log bucket through its bucket policy, not ACLs (ACLs stay disabled).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    // Server access logs of the log buckets (a log-delivery target supports SSE-S3 only).
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const invocationLogging = new BedrockInvocationLogging(this, 'InvocationLogging', { serverAccessLogsBucket: accessLogs });
    new BedrockAuditTrail(this, 'AuditTrail', { serverAccessLogsBucket: accessLogs });

    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: invocationLogging.encryptionKey });
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'application', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: ec2.FlowLogTrafficType.ALL } },
    });
    const endpoint = new BedrockPrivateEndpoint(this, 'BedrockEndpoint', { vpc });
    const models = new BedrockModelAccess(this, 'Models', { foundationModelIds: [props.modelId], privateEndpoint: endpoint });

    const chatLogs = new logs.LogGroup(this, 'ChatFunctionLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: invocationLogging.encryptionKey });
    const chat = new lambda.Function(this, 'ChatFunction', {
      description: 'Answers a prompt with the region-pinned model',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(CHAT_HANDLER),
      timeout: Duration.seconds(30),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      environment: { MODEL_ID: models.invocationArn },
      logGroup: chatLogs,
    });
    models.grantInvoke(chat);
    endpoint.allowFrom(chat);
    acknowledgeCheckerFindings(this, { accessLogs, chat, vpc });

    if (props.violation) {
      // What a well-meaning teammate might add for a newer model: a global profile routes prompts to any region.
      chat.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['bedrock:InvokeModel'],
          resources: [`arn:aws:bedrock:${REGION}:${this.account}:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0`, 'arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0'],
        }),
      );
    }
  }
}

/**
 * Findings of the cdk-nag packs (AwsSolutions, HIPAA.Security,
 * NIST.800.53.R5) that are choices of this example, each with its reason
 * (also listed in the README). The Bedrock
 * constructs acknowledge their own.
 */
function acknowledgeCheckerFindings(stack: Stack, parts: { accessLogs: s3.Bucket; chat: lambda.Function; vpc: ec2.Vpc }): void {
  const acknowledge = (scope: IConstruct, ids: string[], reason: string): void => {
    for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
  };
  acknowledge(stack, ['CloudFormation-Validate::W3010'], 'The zones are fixed on purpose so that synthesis needs no AWS account lookup.');
  acknowledge(
    parts.accessLogs,
    ['AwsSolutions-S1', 'HIPAA.Security-S3BucketLoggingEnabled', 'NIST.800.53.R5-S3BucketLoggingEnabled'],
    'This is the server access log bucket; logging it into itself would loop.',
  );
  acknowledge(parts.accessLogs, ['HIPAA.Security-S3DefaultEncryptionKMS', 'NIST.800.53.R5-S3DefaultEncryptionKMS'], 'S3 server access log delivery supports only SSE-S3 on the target bucket.');
  acknowledge(
    parts.accessLogs,
    ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled'],
    'Replicating to another region would move records out of the EU residency; versioning and retention protect the objects.',
  );
  const chatRole = parts.chat.role!;
  acknowledge(
    chatRole,
    [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
    ],
    'The AWS managed Lambda execution policies give exactly the log and VPC network-interface permissions a function in a VPC needs; Bedrock access is a separate, model-scoped statement.',
  );
  for (const role of [chatRole, parts.vpc.node.findChild('all').node.findChild('IAMRole')]) {
    acknowledge(role, ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy'], 'CDK grants attach an inline policy to the role they belong to; it is created and deleted with the role.');
  }
  acknowledge(
    parts.chat,
    ['HIPAA.Security-LambdaConcurrency', 'NIST.800.53.R5-LambdaConcurrency'],
    'Reserved concurrency is sized per deployment; new accounts cannot reserve any (their limit is the unreserved minimum).',
  );
  acknowledge(parts.chat, ['HIPAA.Security-LambdaDLQ', 'NIST.800.53.R5-LambdaDLQ'], 'The function is invoked synchronously: the caller gets the error; there is no asynchronous event to re-drive.');
}

/** The function's code: one Converse call through the SDK the Lambda runtime provides. */
const CHAT_HANDLER = `
const { BedrockRuntimeClient, ConverseCommand } = require('@aws-sdk/client-bedrock-runtime');
const client = new BedrockRuntimeClient({});
exports.handler = async (event) => {
  const reply = await client.send(new ConverseCommand({
    modelId: process.env.MODEL_ID,
    messages: [{ role: 'user', content: [{ text: String(event.prompt ?? 'Hello') }] }],
  }));
  return { text: reply.output?.message?.content?.[0]?.text ?? '' };
};
`;

export interface ExampleAppOptions {
  /** Account of the stack. */
  readonly account: string;
  /** Foundation model the application invokes. @default anthropic.claude-3-haiku-20240307-v1:0 */
  readonly modelId?: string;
  /** Adds a grant that breaks the `eu` policy. @default false */
  readonly violation?: boolean;
}

/** Adds the example workload to an app. */
export function buildExampleApp(app: App, options: ExampleAppOptions): ExampleWorkloadStack {
  return new ExampleWorkloadStack(app, 'EuLlmWorkload', {
    env: { account: options.account, region: REGION },
    modelId: options.modelId ?? 'anthropic.claude-3-haiku-20240307-v1:0',
    violation: options.violation ?? false,
    description: 'Example EU LLM workload: Bedrock in eu-central-1 with invocation logging, CloudTrail and a private endpoint',
  });
}

if (require.main === module) {
  const app = new App();
  // The policy comes from cdk.json: "llm-guardrail:policy": "eu".
  ComplianceGate.enable(app);
  const context = (key: string): string | undefined => {
    const value = app.node.tryGetContext(`llm-guardrail:example-${key}`);
    return value === undefined ? undefined : String(value);
  };
  buildExampleApp(app, {
    account: context('account') ?? process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111',
    modelId: context('model'),
    violation: context('violation') === 'true',
  });
  app.synth();
}

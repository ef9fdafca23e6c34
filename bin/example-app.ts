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
import { App, Duration, Stack, StackProps, aws_ec2 as ec2, aws_iam as iam, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
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

    const invocationLogging = new BedrockInvocationLogging(this, 'InvocationLogging');
    new BedrockAuditTrail(this, 'AuditTrail');

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
      runtime: lambda.Runtime.NODEJS_22_X,
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

const app = new App();
ComplianceGate.enable(app);
const contextAccount = app.node.tryGetContext('llm-guardrail:example-account');
new ExampleWorkloadStack(app, 'EuLlmWorkload', {
  env: { account: typeof contextAccount === 'string' ? contextAccount : (process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111'), region: REGION },
  modelId: app.node.tryGetContext('llm-guardrail:example-model') ?? 'anthropic.claude-3-haiku-20240307-v1:0',
  violation: String(app.node.tryGetContext('llm-guardrail:example-violation')) === 'true',
  description: 'Example EU LLM workload: Bedrock in eu-central-1 with invocation logging, CloudTrail and a private endpoint',
});
app.synth();

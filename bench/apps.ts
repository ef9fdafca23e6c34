/**
 * Generated apps for the benchmark: many stacks of a realistic mix of
 * resources the guardrail cares about (model access, audit and prompt logs,
 * keys) and resources it does not (queues, topics). The apps are written to be
 * compliant with the `eu` preset, so the gate runs every rule and then lets
 * synthesis finish, as it does on a healthy app in CI.
 *
 * The frameworks are loaded with `require` inside each builder, so a worker
 * can time their import apart from building and synthesizing.
 */
import type * as cdk from 'aws-cdk-lib';
import type * as cdktf from 'cdktf';

/** Region every generated AWS stack is pinned to (inside the EU). */
export const AWS_REGION = 'eu-central-1';
/** A placeholder account: synthesis never calls AWS. */
export const AWS_ACCOUNT = '123456789012';
/** Azure region of every generated Azure resource (Netherlands). */
export const AZURE_LOCATION = 'westeurope';
/** Google Cloud location of every generated Google resource (Netherlands). */
export const GOOGLE_LOCATION = 'europe-west4';
/** Google project of every generated Google resource. */
export const GOOGLE_PROJECT = 'bench-project';

/** Days the generated log stores keep entries: above the `eu` audit minimum, below its content maximum. */
const LOG_RETENTION_DAYS = 400;
/** Tag that declares a log store's role to the guardrail (see lib/engine/log-roles.ts). */
const LOG_ROLE_TAG = 'llm-guardrail-log-role';
/** The private bedrock-runtime endpoint invoke permissions are limited to. */
const BEDROCK_ENDPOINT_ID = 'vpce-0123456789abcdef0';
const FOUNDATION_MODEL_ARN = `arn:aws:bedrock:${AWS_REGION}::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0`;

/** How many resources a generated app has and how they are spread over stacks. */
export interface AppShape {
  /** Resources in the whole app (our own; the frameworks may add a few per stack). */
  readonly resources: number;
  /**
   * Resources per stack.
   * @default 400
   */
  readonly resourcesPerStack?: number;
}

export const DEFAULT_RESOURCES_PER_STACK = 400;

/** Number of stacks an app of this shape has. */
export function stackCount(shape: AppShape): number {
  return Math.ceil(shape.resources / (shape.resourcesPerStack ?? DEFAULT_RESOURCES_PER_STACK));
}

/** Splits the app's resources into per-stack budgets. */
function stackBudgets(shape: AppShape): number[] {
  const perStack = shape.resourcesPerStack ?? DEFAULT_RESOURCES_PER_STACK;
  const budgets: number[] = [];
  for (let left = shape.resources; left > 0; left -= perStack) budgets.push(Math.min(perStack, left));
  return budgets;
}

/**
 * Fills a stack with `budget` resources by repeating a cycle of resource
 * kinds; each kind says how many resources it adds. When a kind no longer
 * fits, the filler (one resource) completes the budget.
 */
function fill(budget: number, cycle: readonly { readonly cost: number; readonly add: (index: number) => void }[], filler: (index: number) => void): void {
  let left = budget;
  let index = 0;
  while (left > 0) {
    const kind = cycle[index % cycle.length];
    if (kind.cost <= left) {
      kind.add(index);
      left -= kind.cost;
    } else {
      filler(index);
      left -= 1;
    }
    index += 1;
  }
}

/**
 * An AWS CDK app: per stack, repeated groups of a KMS key, a KMS-encrypted
 * S3 audit-log bucket expiring objects after 400 days, an encrypted log group
 * for audit and prompt logs kept 400 days, an IAM role allowed to invoke a
 * Bedrock foundation model in eu-central-1 through the private endpoint
 * (role + policy), an SQS queue and an SNS topic. The first stack also holds
 * what the account needs once (see addCdkAccountAuditing).
 */
export function buildCdkApp(app: cdk.App, shape: AppShape): void {
  const lib = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { Duration, RemovalPolicy, Stack, Tags } = lib;
  const { aws_iam: iam, aws_kms: kms, aws_logs: logs, aws_s3: s3, aws_sns: sns, aws_sqs: sqs } = lib;

  stackBudgets(shape).forEach((budget, stackIndex) => {
    const stack = new Stack(app, `BenchStack${stackIndex}`, { env: { account: AWS_ACCOUNT, region: AWS_REGION } });
    let key: import('aws-cdk-lib').aws_kms.Key | undefined;
    const currentKey = (index: number): import('aws-cdk-lib').aws_kms.Key => key ?? (key = new kms.Key(stack, `Key${index}`, { enableKeyRotation: true }));
    const queue = (index: number): void => {
      new sqs.Queue(stack, `Queue${index}`, { retentionPeriod: Duration.days(4) });
    };
    const accountWide = stackIndex === 0 ? addCdkAccountAuditing(stack, lib) : 0;
    fill(
      budget - accountWide,
      [
        { cost: 1, add: (index) => void (key = new kms.Key(stack, `Key${index}`, { enableKeyRotation: true })) },
        {
          cost: 1,
          add: (index) => {
            const bucket = new s3.Bucket(stack, `AuditBucket${index}`, {
              encryption: s3.BucketEncryption.KMS,
              encryptionKey: currentKey(index),
              blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
              lifecycleRules: [{ expiration: Duration.days(LOG_RETENTION_DAYS) }],
              removalPolicy: RemovalPolicy.RETAIN,
            });
            Tags.of(bucket).add(LOG_ROLE_TAG, 'audit');
          },
        },
        {
          cost: 1,
          add: (index) => {
            const group = new logs.LogGroup(stack, `PromptLogs${index}`, {
              retention: logs.RetentionDays.THIRTEEN_MONTHS,
              encryptionKey: currentKey(index),
              removalPolicy: RemovalPolicy.RETAIN,
            });
            Tags.of(group).add(LOG_ROLE_TAG, 'audit-content');
          },
        },
        {
          cost: 2,
          add: (index) => {
            const role = new iam.Role(stack, `InvokeRole${index}`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
            role.addToPolicy(
              new iam.PolicyStatement({
                actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
                resources: [FOUNDATION_MODEL_ARN],
                conditions: { StringEquals: { 'aws:SourceVpce': BEDROCK_ENDPOINT_ID } },
              }),
            );
          },
        },
        { cost: 1, add: queue },
        {
          cost: 1,
          add: (index) => {
            new sns.Topic(stack, `Topic${index}`);
          },
        },
      ],
      queue,
    );
  });
}

/**
 * What the account and region need once for any stack to call Bedrock: a
 * private bedrock-runtime endpoint, a multi-region CloudTrail trail into an
 * audit bucket, and model-invocation logging (as the package's construct
 * synthesizes it) into an encrypted log group. Returns the resources added.
 */
function addCdkAccountAuditing(stack: cdk.Stack, lib: typeof cdk): number {
  const { CfnResource, Duration, RemovalPolicy, Tags } = lib;
  const { aws_cloudtrail: cloudtrail, aws_ec2: ec2, aws_iam: iam, aws_kms: kms, aws_logs: logs, aws_s3: s3 } = lib;
  const key = new kms.Key(stack, 'AuditKey', { enableKeyRotation: true });
  new ec2.CfnVPCEndpoint(stack, 'BedrockRuntimeEndpoint', {
    serviceName: `com.amazonaws.${AWS_REGION}.bedrock-runtime`,
    vpcEndpointType: 'Interface',
    vpcId: 'vpc-0123456789abcdef0',
    subnetIds: ['subnet-0123456789abcdef0'],
    privateDnsEnabled: true,
  });
  const trailBucket = new s3.Bucket(stack, 'TrailBucket', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    lifecycleRules: [{ expiration: Duration.days(LOG_RETENTION_DAYS) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  new cloudtrail.CfnTrail(stack, 'Trail', { isLogging: true, isMultiRegionTrail: true, s3BucketName: trailBucket.bucketName, kmsKeyId: key.keyArn });
  const invocationLogs = new logs.LogGroup(stack, 'InvocationLogs', { retention: logs.RetentionDays.THIRTEEN_MONTHS, encryptionKey: key, removalPolicy: RemovalPolicy.RETAIN });
  Tags.of(invocationLogs).add(LOG_ROLE_TAG, 'audit-content');
  const loggingRole = new iam.Role(stack, 'InvocationLoggingRole', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
  new CfnResource(stack, 'InvocationLogging', {
    type: 'Custom::BedrockInvocationLogging',
    properties: {
      ServiceToken: `arn:aws:lambda:${AWS_REGION}:${AWS_ACCOUNT}:function:bedrock-invocation-logging`,
      LoggingConfig: {
        textDataDeliveryEnabled: true,
        cloudWatchConfig: { logGroupName: invocationLogs.logGroupName, roleArn: loggingRole.roleArn },
      },
    },
  });
  return 7;
}

/**
 * A CDK for Terraform app: stacks alternate between Azure and Google.
 *
 * Azure stack: provider, resource group, key vault and key (3 + 2 per stack),
 * then repeated groups of an OpenAI account (customer-managed key, no local
 * auth, no public access), a regional model deployment, a Log Analytics
 * workspace kept 400 days, a diagnostic setting sending Audit and
 * RequestResponse logs to it, and a storage account.
 *
 * Google stack: provider, key ring, key, the project's Data Access audit
 * config and a CMEK BigQuery dataset for request/response logs kept 400 days,
 * then repeated groups of a CMEK-encrypted Vertex AI endpoint on a private
 * network logging every request to that dataset, a CMEK log bucket kept 400
 * days, a storage bucket and a Pub/Sub topic.
 *
 * Providers are imported by deep path: the package indexes load thousands of
 * modules.
 */
export function buildCdktfApp(app: cdktf.App, shape: AppShape): void {
  const { TerraformStack } = require('cdktf') as typeof import('cdktf');
  stackBudgets(shape).forEach((budget, stackIndex) => {
    const stack = new TerraformStack(app, `bench-stack-${stackIndex}`);
    if (stackIndex % 2 === 0) fillAzureStack(stack, budget);
    else fillGoogleStack(stack, budget);
  });
}

function fillAzureStack(stack: cdktf.TerraformStack, budget: number): void {
  const { AzurermProvider } = require('@cdktf/provider-azurerm/lib/provider') as typeof import('@cdktf/provider-azurerm/lib/provider');
  const { ResourceGroup } = require('@cdktf/provider-azurerm/lib/resource-group') as typeof import('@cdktf/provider-azurerm/lib/resource-group');
  const { KeyVault } = require('@cdktf/provider-azurerm/lib/key-vault') as typeof import('@cdktf/provider-azurerm/lib/key-vault');
  const { KeyVaultKey } = require('@cdktf/provider-azurerm/lib/key-vault-key') as typeof import('@cdktf/provider-azurerm/lib/key-vault-key');
  const { CognitiveAccount } = require('@cdktf/provider-azurerm/lib/cognitive-account') as typeof import('@cdktf/provider-azurerm/lib/cognitive-account');
  const { CognitiveDeployment } = require('@cdktf/provider-azurerm/lib/cognitive-deployment') as typeof import('@cdktf/provider-azurerm/lib/cognitive-deployment');
  const { LogAnalyticsWorkspace } = require('@cdktf/provider-azurerm/lib/log-analytics-workspace') as typeof import('@cdktf/provider-azurerm/lib/log-analytics-workspace');
  const { MonitorDiagnosticSetting } = require('@cdktf/provider-azurerm/lib/monitor-diagnostic-setting') as typeof import('@cdktf/provider-azurerm/lib/monitor-diagnostic-setting');
  const { StorageAccount } = require('@cdktf/provider-azurerm/lib/storage-account') as typeof import('@cdktf/provider-azurerm/lib/storage-account');

  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const group = new ResourceGroup(stack, 'group', { name: `${stack.node.id}-rg`, location: AZURE_LOCATION });
  const vault = new KeyVault(stack, 'vault', {
    name: `${stack.node.id}-kv`.slice(0, 24),
    location: AZURE_LOCATION,
    resourceGroupName: group.name,
    tenantId: '00000000-0000-0000-0000-000000000000',
    skuName: 'premium',
    purgeProtectionEnabled: true,
  });
  const key = new KeyVaultKey(stack, 'key', { name: 'openai', keyVaultId: vault.id, keyType: 'RSA', keySize: 2048, keyOpts: ['wrapKey', 'unwrapKey'] });
  const storage = (index: number): void => {
    new StorageAccount(stack, `storage-${index}`, {
      name: `st${stack.node.id.replace(/\D/g, '')}x${index}`.slice(0, 24),
      location: AZURE_LOCATION,
      resourceGroupName: group.name,
      accountTier: 'Standard',
      accountReplicationType: 'ZRS',
    });
  };
  fill(
    budget - 3,
    [
      {
        cost: 4,
        add: (index) => {
          const account = new CognitiveAccount(stack, `openai-${index}`, {
            name: `${stack.node.id}-openai-${index}`,
            location: AZURE_LOCATION,
            resourceGroupName: group.name,
            kind: 'OpenAI',
            skuName: 'S0',
            customSubdomainName: `${stack.node.id}-openai-${index}`,
            localAuthEnabled: false,
            publicNetworkAccessEnabled: false,
            customerManagedKey: { keyVaultKeyId: key.id, identityClientId: '00000000-0000-0000-0000-000000000001' },
          });
          new CognitiveDeployment(stack, `deployment-${index}`, {
            name: 'gpt-4o',
            cognitiveAccountId: account.id,
            model: { format: 'OpenAI', name: 'gpt-4o', version: '2024-08-06' },
            sku: { name: 'Standard', capacity: 10 },
          });
          const workspace = new LogAnalyticsWorkspace(stack, `workspace-${index}`, {
            name: `${stack.node.id}-logs-${index}`,
            location: AZURE_LOCATION,
            resourceGroupName: group.name,
            sku: 'PerGB2018',
            retentionInDays: LOG_RETENTION_DAYS,
          });
          new MonitorDiagnosticSetting(stack, `diagnostics-${index}`, {
            name: 'audit',
            targetResourceId: account.id,
            logAnalyticsWorkspaceId: workspace.id,
            enabledLog: [{ category: 'Audit' }, { category: 'RequestResponse' }],
          });
        },
      },
      { cost: 1, add: storage },
    ],
    storage,
  );
}

function fillGoogleStack(stack: cdktf.TerraformStack, budget: number): void {
  const { GoogleProvider } = require('@cdktf/provider-google/lib/provider') as typeof import('@cdktf/provider-google/lib/provider');
  const { KmsKeyRing } = require('@cdktf/provider-google/lib/kms-key-ring') as typeof import('@cdktf/provider-google/lib/kms-key-ring');
  const { KmsCryptoKey } = require('@cdktf/provider-google/lib/kms-crypto-key') as typeof import('@cdktf/provider-google/lib/kms-crypto-key');
  const { ProjectIamAuditConfig } = require('@cdktf/provider-google/lib/project-iam-audit-config') as typeof import('@cdktf/provider-google/lib/project-iam-audit-config');
  const { VertexAiEndpoint } = require('@cdktf/provider-google/lib/vertex-ai-endpoint') as typeof import('@cdktf/provider-google/lib/vertex-ai-endpoint');
  const { LoggingProjectBucketConfig } = require('@cdktf/provider-google/lib/logging-project-bucket-config') as typeof import('@cdktf/provider-google/lib/logging-project-bucket-config');
  const { StorageBucket } = require('@cdktf/provider-google/lib/storage-bucket') as typeof import('@cdktf/provider-google/lib/storage-bucket');
  const { PubsubTopic } = require('@cdktf/provider-google/lib/pubsub-topic') as typeof import('@cdktf/provider-google/lib/pubsub-topic');
  const { BigqueryDataset } = require('@cdktf/provider-google/lib/bigquery-dataset') as typeof import('@cdktf/provider-google/lib/bigquery-dataset');

  new GoogleProvider(stack, 'google', { project: GOOGLE_PROJECT, region: GOOGLE_LOCATION });
  const ring = new KmsKeyRing(stack, 'ring', { name: `${stack.node.id}-ring`, location: GOOGLE_LOCATION });
  const key = new KmsCryptoKey(stack, 'key', { name: 'vertex', keyRing: ring.id, rotationPeriod: '7776000s' });
  new ProjectIamAuditConfig(stack, 'vertex-audit', {
    project: GOOGLE_PROJECT,
    service: 'aiplatform.googleapis.com',
    auditLogConfig: [{ logType: 'ADMIN_READ' }, { logType: 'DATA_READ' }, { logType: 'DATA_WRITE' }],
  });
  // The Data Access logs stay in the project's _Default bucket, kept for the eu minimum instead of its default 30 days.
  new LoggingProjectBucketConfig(stack, 'default-bucket', { project: GOOGLE_PROJECT, location: GOOGLE_LOCATION, bucketId: '_Default', retentionDays: LOG_RETENTION_DAYS, cmekSettings: { kmsKeyName: key.id } });
  // Every endpoint logs each request and response (LCG-PRV-008) to this dataset, which expires them within the eu maximum.
  const datasetId = `${stack.node.id.replace(/\W/g, '_')}_requests`;
  new BigqueryDataset(stack, 'requests', {
    datasetId,
    location: GOOGLE_LOCATION,
    defaultPartitionExpirationMs: LOG_RETENTION_DAYS * 86_400_000,
    defaultEncryptionConfiguration: { kmsKeyName: key.id },
  });
  const topic = (index: number): void => {
    new PubsubTopic(stack, `topic-${index}`, { name: `${stack.node.id}-topic-${index}`, messageRetentionDuration: '86400s' });
  };
  fill(
    budget - 5,
    [
      {
        cost: 1,
        add: (index) => {
          new VertexAiEndpoint(stack, `endpoint-${index}`, {
            name: `${index}`,
            displayName: `${stack.node.id}-endpoint-${index}`,
            location: GOOGLE_LOCATION,
            network: `projects/123456789/global/networks/private`,
            encryptionSpec: { kmsKeyName: key.id },
            predictRequestResponseLoggingConfig: { enabled: true, samplingRate: 1, bigqueryDestination: { outputUri: `bq://${GOOGLE_PROJECT}.${datasetId}` } },
          });
        },
      },
      {
        cost: 1,
        add: (index) => {
          new LoggingProjectBucketConfig(stack, `log-bucket-${index}`, {
            project: GOOGLE_PROJECT,
            location: GOOGLE_LOCATION,
            bucketId: `${stack.node.id}-logs-${index}`,
            retentionDays: LOG_RETENTION_DAYS,
            cmekSettings: { kmsKeyName: key.id },
          });
        },
      },
      {
        cost: 1,
        add: (index) => {
          new StorageBucket(stack, `bucket-${index}`, {
            name: `${stack.node.id}-bucket-${index}`,
            location: GOOGLE_LOCATION.toUpperCase(),
            uniformBucketLevelAccess: true,
            encryption: { defaultKmsKeyName: key.id },
          });
        },
      },
      { cost: 1, add: topic },
    ],
    topic,
  );
}

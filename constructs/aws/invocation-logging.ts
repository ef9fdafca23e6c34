import { CustomResource, Duration, RemovalPolicy, Stack, Token, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_logs as logs, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { CFN } from '../../lib/analysis/resource-types';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { HANDLERS, handlerCode } from './handler-code';
import { acknowledge, createLogBucket, createLogGroup, createLogKey } from './log-stores';
import { policyFor, retentionPlan } from './policy-defaults';

/** Options of {@link BedrockInvocationLogging}. */
export interface BedrockInvocationLoggingProps {
  /**
   * The policy that sets retention (at least the audit minimum, at most the
   * content maximum: invocation logs hold prompts and responses).
   *
   * @default - the policy of the ComplianceGate enabled on the app, else context `llm-guardrail:policy`, else 365 days
   */
  readonly policy?: GuardrailPolicy;
  /**
   * Days the log group and bucket keep invocation logs; must lie inside the policy range.
   *
   * @default - the policy minimum (at least 365 days), capped at the policy maximum
   */
  readonly retentionDays?: number;
  /**
   * Customer-managed key for the log group and bucket.
   *
   * @default - a new key with rotation, usable by CloudWatch Logs and Bedrock of this account and region
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Deliver logs to a CloudWatch Logs log group (searchable, alarms).
   *
   * @default true
   */
  readonly cloudWatchDelivery?: boolean;
  /**
   * Deliver logs to an S3 bucket (durable, cheap, holds large payloads and images).
   *
   * @default true
   */
  readonly s3Delivery?: boolean;
  /**
   * Key prefix of the log objects in the bucket.
   *
   * @default "bedrock-invocation-logs"
   */
  readonly s3KeyPrefix?: string;
  /**
   * Record prompt and response text. The compliance rules require it.
   *
   * @default true
   */
  readonly textDataDelivery?: boolean;
  /**
   * Record images sent to and produced by models.
   *
   * @default false
   */
  readonly imageDataDelivery?: boolean;
  /**
   * Record embeddings.
   *
   * @default false
   */
  readonly embeddingDataDelivery?: boolean;
  /**
   * Record video.
   *
   * @default false
   */
  readonly videoDataDelivery?: boolean;
  /**
   * Switch model-invocation logging off when the stack (or this construct) is
   * deleted. By default logging stays on, and so do the destinations and the
   * delivery role it needs, so that deleting an app never silently stops the
   * audit trail.
   *
   * @default false
   */
  readonly disableLoggingOnDelete?: boolean;
  /**
   * Bucket that receives S3 server access logs of the log bucket.
   *
   * @default - no server access logging
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

/**
 * Amazon Bedrock model-invocation logging for the stack's account and region,
 * which CloudFormation has no resource for: a custom resource
 * (`Custom::BedrockInvocationLogging`) whose Lambda handler calls
 * Put/Get/DeleteModelInvocationLoggingConfiguration, delivering to a
 * KMS-encrypted log group and a KMS-encrypted, versioned, private, TLS-only
 * bucket, both kept as long as the policy says.
 *
 * The setting is one per account and region: create one per account and
 * region in the whole app (synthesis fails on two).
 */
export class BedrockInvocationLogging extends Construct {
  /** The CloudWatch Logs destination, when `cloudWatchDelivery` is on. */
  readonly logGroup?: logs.LogGroup;
  /** The S3 destination, when `s3Delivery` is on. */
  readonly bucket?: s3.Bucket;
  /** The key that encrypts the destinations. */
  readonly encryptionKey: kms.IKey;
  /** The role Bedrock assumes to write to the log group. */
  readonly deliveryRole?: iam.Role;
  /** The function that applies the configuration. */
  readonly handler: lambda.Function;
  /** The custom resource. */
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: BedrockInvocationLoggingProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const cloudWatchDelivery = props.cloudWatchDelivery ?? true;
    const s3Delivery = props.s3Delivery ?? true;
    if (!cloudWatchDelivery && !s3Delivery) throw new Error(`BedrockInvocationLogging at "${this.node.path}": cloudWatchDelivery and s3Delivery are both off, so nothing would be logged (fix: keep at least one on)`);
    const keyPrefix = props.s3KeyPrefix ?? 'bedrock-invocation-logs';
    if (!/^[A-Za-z0-9!_.*'()\-/]*$/.test(keyPrefix) || keyPrefix.startsWith('/') || keyPrefix.endsWith('/')) {
      throw new Error(`BedrockInvocationLogging at "${this.node.path}": s3KeyPrefix "${keyPrefix}" is not a plain S3 key prefix (fix: letters, digits and - _ . / only, without leading or trailing /)`);
    }
    const retainOnDelete = !(props.disableLoggingOnDelete ?? false);
    // Logging that outlives the stack must keep its destinations, key and delivery role.
    const keep = retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const plan = retentionPlan(policyFor(this, props.policy), true, props.retentionDays, `BedrockInvocationLogging at "${this.node.path}"`);

    this.encryptionKey = props.encryptionKey ?? createLogKey(this, 'Key', 'Encrypts Amazon Bedrock model-invocation logs (prompts and responses)', { cloudWatchLogs: true, bedrock: true }, RemovalPolicy.RETAIN);
    const sourceConditions = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:*` },
    };

    const loggingConfig: { [key: string]: unknown } = {
      textDataDeliveryEnabled: props.textDataDelivery ?? true,
      imageDataDeliveryEnabled: props.imageDataDelivery ?? false,
      embeddingDataDeliveryEnabled: props.embeddingDataDelivery ?? false,
      videoDataDeliveryEnabled: props.videoDataDelivery ?? false,
    };

    if (s3Delivery) {
      this.bucket = createLogBucket(this, 'Bucket', this.encryptionKey, plan, 'audit-content', keep, props.serverAccessLogsBucket);
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'BedrockWritesInvocationLogs',
          principals: [new iam.ServicePrincipal('bedrock.amazonaws.com')],
          actions: ['s3:PutObject'],
          resources: [this.bucket.arnForObjects(`${keyPrefix}/AWSLogs/${stack.account}/BedrockModelInvocationLogs/*`)],
          conditions: sourceConditions,
        }),
      );
      this.bucket.policy?.applyRemovalPolicy(keep);
      loggingConfig.s3Config = { bucketName: this.bucket.bucketName, keyPrefix };
    }

    if (cloudWatchDelivery) {
      this.logGroup = createLogGroup(this, 'LogGroup', this.encryptionKey, plan, 'audit-content', keep);
      this.deliveryRole = new iam.Role(this, 'DeliveryRole', {
        description: 'Assumed by Amazon Bedrock to write model-invocation logs',
        assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', { conditions: sourceConditions }),
      });
      this.deliveryRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }));
      const cloudWatchConfig: { [key: string]: unknown } = { logGroupName: this.logGroup.logGroupName, roleArn: this.deliveryRole.roleArn };
      if (this.bucket) {
        // Payloads over 100 KB do not fit a log event; Bedrock puts them in the bucket under this prefix.
        const largeDataPrefix = `${keyPrefix}-large-data`;
        this.deliveryRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(`${largeDataPrefix}/*`)] }));
        this.encryptionKey.grant(this.deliveryRole, 'kms:GenerateDataKey');
        cloudWatchConfig.largeDataDeliveryS3Config = { bucketName: this.bucket.bucketName, keyPrefix: largeDataPrefix };
      }
      this.deliveryRole.applyRemovalPolicy(keep);
      const defaultPolicy = this.deliveryRole.node.tryFindChild('DefaultPolicy');
      if (defaultPolicy) (defaultPolicy as iam.Policy).applyRemovalPolicy(keep);
      loggingConfig.cloudWatchConfig = cloudWatchConfig;
    }

    const handlerLogs = new logs.LogGroup(this, 'HandlerLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: this.encryptionKey, removalPolicy: RemovalPolicy.DESTROY });
    const handlerRole = new iam.Role(this, 'HandlerRole', {
      description: 'Applies the Bedrock model-invocation logging configuration',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [handlerLogs.logGroupArn] }));
    // These Bedrock actions support no resource-level permissions.
    handlerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['bedrock:PutModelInvocationLoggingConfiguration', 'bedrock:GetModelInvocationLoggingConfiguration', 'bedrock:DeleteModelInvocationLoggingConfiguration'],
        resources: ['*'],
      }),
    );
    if (this.deliveryRole) {
      handlerRole.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [this.deliveryRole.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } } }),
      );
    }

    this.handler = new lambda.Function(this, 'Handler', {
      description: 'Custom::BedrockInvocationLogging: Put/Get/DeleteModelInvocationLoggingConfiguration',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: HANDLERS.invocationLogging,
      code: handlerCode(),
      timeout: Duration.minutes(2),
      memorySize: 256,
      role: handlerRole,
      logGroup: handlerLogs,
    });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.handler.functionArn,
      resourceType: CFN.invocationLogging,
      properties: { LoggingConfig: loggingConfig, RetainOnDelete: retainOnDelete },
    });
    // Bedrock checks it can write when the configuration is put: the permissions must exist first.
    if (this.bucket?.policy) this.resource.node.addDependency(this.bucket.policy);
    if (this.deliveryRole) this.resource.node.addDependency(this.deliveryRole);
    this.resource.node.addDependency(handlerRole);

    acknowledgeCheckerFindings(this.handler, handlerRole, this.deliveryRole, this.bucket, `${keyPrefix}-large-data`);
    this.node.addValidation({ validate: () => duplicateConfigurations(this) });
  }
}

/**
 * Findings of the cdk-nag packs (AwsSolutions, HIPAA.Security, NIST.800.53.R5)
 * that are inherent to this construct, acknowledged with the reason, on the
 * construct's own children only (listed in the README).
 */
function acknowledgeCheckerFindings(handler: lambda.Function, handlerRole: iam.Role, deliveryRole: iam.Role | undefined, bucket: s3.Bucket | undefined, largeDataPrefix: string): void {
  acknowledge(
    handler,
    ['HIPAA.Security-LambdaConcurrency', 'NIST.800.53.R5-LambdaConcurrency'],
    'Only CloudFormation invokes this function, once per deployment; reserving concurrency would take capacity from the account for nothing.',
  );
  acknowledge(
    handler,
    ['HIPAA.Security-LambdaDLQ', 'NIST.800.53.R5-LambdaDLQ'],
    'CloudFormation invokes the function and waits for its answer: a failure fails the deployment with the error message, so there is nothing to re-drive from a queue.',
  );
  acknowledge(
    handler,
    ['HIPAA.Security-LambdaInsideVPC', 'NIST.800.53.R5-LambdaInsideVPC'],
    'The function only calls the Bedrock control plane (Put/Get/DeleteModelInvocationLoggingConfiguration) with a configuration, never prompts or responses; in a VPC it would need a NAT gateway or a bedrock endpoint just for deployments.',
  );
  acknowledge(
    handlerRole,
    ['AwsSolutions-IAM5[Resource::*]'],
    'bedrock:Put/Get/DeleteModelInvocationLoggingConfiguration support no resource-level permissions (Service Authorization Reference); the statement holds only those three actions.',
  );
  acknowledge(
    handlerRole,
    ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy'],
    'The role belongs to this construct alone; an inline policy keeps its permissions together with it and deleted with it.',
  );
  if (deliveryRole) {
    acknowledge(deliveryRole, ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy'], 'The role belongs to this construct alone; an inline policy keeps its permissions together with it and deleted with it.');
    if (bucket) {
      acknowledge(
        deliveryRole,
        [`AwsSolutions-IAM5[Resource::<${Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${largeDataPrefix}/*]`],
        'Bedrock writes large payloads as new objects with generated names: the grant is limited to s3:PutObject under the large-data prefix of this bucket.',
      );
    }
  }
}

/** One configuration per account and region: a second one in the app would overwrite the first at every deployment. */
function duplicateConfigurations(self: BedrockInvocationLogging): string[] {
  const stack = Stack.of(self);
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) return [];
  const others = rootOf(self)
    .node.findAll()
    .filter((construct): construct is BedrockInvocationLogging => construct instanceof BedrockInvocationLogging && construct !== self)
    .filter((other) => Stack.of(other).account === stack.account && Stack.of(other).region === stack.region);
  if (others.length === 0) return [];
  return [
    `BedrockInvocationLogging: ${stack.account}/${stack.region} is also configured at ${others.map((other) => `"${other.node.path}"`).join(', ')}; Bedrock keeps one configuration per account and region, so they would overwrite each other (fix: keep one, e.g. in a shared stack)`,
  ];
}

function rootOf(construct: IConstruct): IConstruct {
  return construct.node.root;
}

import { Names, RemovalPolicy, Stack, aws_cloudtrail as cloudtrail, aws_iam as iam, aws_kms as kms, aws_logs as logs, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { bedrockService } from '../../lib/catalogs';
import { acknowledge, createLogBucket, createLogGroup, createLogKey } from './log-stores';
import { policyFor, retentionPlan } from './policy-defaults';

/** Options of {@link BedrockAuditTrail}. */
export interface BedrockAuditTrailProps {
  /**
   * The policy that sets the minimum retention of the trail logs.
   *
   * @default - the policy of the ComplianceGate enabled on the app, else context `llm-guardrail:policy`, else 365 days
   */
  readonly policy?: GuardrailPolicy;
  /**
   * Days the log group and bucket keep trail logs; at least the policy minimum.
   *
   * @default - the policy minimum (at least 365 days)
   */
  readonly retentionDays?: number;
  /**
   * Customer-managed key for the trail, its bucket and log group.
   *
   * @default - a new key with rotation, usable by CloudTrail and CloudWatch Logs of this account
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Record events of every region of the partition (one trail for the account).
   *
   * @default true
   */
  readonly isMultiRegionTrail?: boolean;
  /**
   * Name of the trail.
   *
   * @default - a name unique to this construct
   */
  readonly trailName?: string;
  /**
   * CloudTrail data-event resource types to record besides management events
   * (agents, flows, guardrails, knowledge bases, prompts).
   *
   * @default - every Bedrock type in the catalog (lib/catalogs/data/aws-bedrock.json)
   */
  readonly dataEventResourceTypes?: string[];
  /**
   * Also deliver the trail to a CloudWatch Logs log group (for alarms and queries).
   *
   * @default true
   */
  readonly cloudWatchDelivery?: boolean;
  /**
   * Bucket that receives S3 server access logs of the trail bucket.
   *
   * @default - no server access logging
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

/**
 * A CloudTrail trail for Bedrock workloads: logging on, log-file validation,
 * multi-region, KMS encryption, management events (bedrock-runtime calls are
 * recorded there) plus Bedrock data events through advanced event selectors,
 * delivered to a private, versioned, KMS-encrypted bucket and a log group,
 * both kept as long as the policy requires.
 */
export class BedrockAuditTrail extends Construct {
  readonly trail: cloudtrail.CfnTrail;
  readonly bucket: s3.Bucket;
  readonly logGroup?: logs.LogGroup;
  readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: BedrockAuditTrailProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const plan = retentionPlan(policyFor(this, props.policy), false, props.retentionDays, `BedrockAuditTrail at "${this.node.path}"`);
    const trailName = props.trailName ?? Names.uniqueResourceName(this, { maxLength: 120 });
    const trailArn = `arn:${stack.partition}:cloudtrail:${stack.region}:${stack.account}:trail/${trailName}`;
    this.encryptionKey = props.encryptionKey ?? createLogKey(this, 'Key', 'Encrypts the CloudTrail audit trail of Bedrock workloads', { cloudTrail: true, cloudWatchLogs: true }, RemovalPolicy.RETAIN);

    this.bucket = createLogBucket(this, 'Bucket', this.encryptionKey, plan, 'audit', RemovalPolicy.RETAIN, props.serverAccessLogsBucket);
    const principal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'CloudTrailChecksBucketAcl', principals: [principal], actions: ['s3:GetBucketAcl'], resources: [this.bucket.bucketArn], conditions: { StringEquals: { 'aws:SourceArn': trailArn } } }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailWritesLogFiles',
        principals: [principal],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
        conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
      }),
    );

    let logsRole: iam.Role | undefined;
    if (props.cloudWatchDelivery ?? true) {
      this.logGroup = createLogGroup(this, 'LogGroup', this.encryptionKey, plan, 'audit', RemovalPolicy.RETAIN);
      logsRole = new iam.Role(this, 'LogsRole', { description: 'Assumed by CloudTrail to deliver the trail to CloudWatch Logs', assumedBy: principal });
      logsRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }));
      acknowledge(logsRole, ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy'], 'The role belongs to this construct alone; an inline policy keeps its permissions together with it and deleted with it.');
    }

    const dataEventTypes = props.dataEventResourceTypes ?? [...bedrockService().cloudTrailDataEventResourceTypes];
    this.trail = new cloudtrail.CfnTrail(this, 'Resource', {
      trailName,
      isLogging: true,
      enableLogFileValidation: true,
      isMultiRegionTrail: props.isMultiRegionTrail ?? true,
      includeGlobalServiceEvents: true,
      kmsKeyId: this.encryptionKey.keyArn,
      s3BucketName: this.bucket.bucketName,
      cloudWatchLogsLogGroupArn: this.logGroup?.logGroupArn,
      cloudWatchLogsRoleArn: logsRole?.roleArn,
      advancedEventSelectors: [
        { name: 'Management events (include bedrock-runtime calls)', fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }] },
        // CloudTrail takes one resources.type per selector.
        ...dataEventTypes.map((type) => ({
          name: `Data events of ${type}`,
          fieldSelectors: [
            { field: 'eventCategory', equalTo: ['Data'] },
            { field: 'resources.type', equalTo: [type] },
          ],
        })),
      ],
    });
    if (this.bucket.policy) this.trail.node.addDependency(this.bucket.policy);
    if (logsRole) this.trail.node.addDependency(logsRole);
  }
}

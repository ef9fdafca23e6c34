import { CustomResource, Duration, RemovalPolicy, aws_iam as iam, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CFN } from '../../lib/analysis/resource-types';
import { HANDLERS, handlerCode } from './handler-code';
import { ACCOUNT_DATA_RETENTION_MODES } from './handlers/data-retention';

/** The CloudFormation type of the data-retention custom resource. */
export const DATA_RETENTION_TYPE = CFN.dataRetention;

/** An account data retention mode: `none` keeps nothing (zero data retention); `inherit` leaves each model's default. */
export type AccountDataRetentionMode = (typeof ACCOUNT_DATA_RETENTION_MODES)[number];

export interface BedrockDataRetentionProps {
  /**
   * The mode for the account in the stack's region: `none` (no prompt or
   * output is stored by AWS or shared with the model provider; models that
   * require retention are refused), `default` (each model's own policy),
   * `provider_data_share` (data may be shared with the provider) or `inherit`.
   * @default "none"
   */
  readonly mode?: AccountDataRetentionMode;
  /** Leave the mode as it is when the resource is deleted (else it is set back to `inherit`). @default true */
  readonly retainOnDelete?: boolean;
}

/**
 * Sets Amazon Bedrock's account data retention mode for the stack's account
 * and region (there is no CloudFormation resource for it) through a custom
 * resource that calls PutAccountDataRetention and reads the mode back. Like
 * invocation logging it is one setting per account and region: keep one per
 * account and region.
 */
export class BedrockDataRetention extends Construct {
  readonly mode: AccountDataRetentionMode;
  readonly handler: lambda.Function;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: BedrockDataRetentionProps = {}) {
    super(scope, id);
    this.mode = props.mode ?? 'none';
    if (!(ACCOUNT_DATA_RETENTION_MODES as readonly string[]).includes(this.mode)) {
      throw new Error(`BedrockDataRetention at "${this.node.path}": mode "${this.mode}" is not an account data retention mode (fix: use one of ${ACCOUNT_DATA_RETENTION_MODES.join(', ')})`);
    }
    // A mode the policy forbids (requireZeroDataRetention) is set as asked; the gate reports it (LCG-RET-013).
    const handlerLogs = new logs.LogGroup(this, 'HandlerLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
    const role = new iam.Role(this, 'HandlerRole', { description: 'Sets the Bedrock account data retention mode', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [handlerLogs.logGroupArn] }));
    // These Bedrock actions support no resource-level permissions.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['bedrock:PutAccountDataRetention', 'bedrock:GetAccountDataRetention'], resources: ['*'] }));
    this.handler = new lambda.Function(this, 'Handler', {
      description: `${DATA_RETENTION_TYPE}: Put/GetAccountDataRetention`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: HANDLERS.dataRetention,
      code: handlerCode(),
      timeout: Duration.minutes(2),
      memorySize: 256,
      role,
      logGroup: handlerLogs,
    });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.handler.functionArn,
      resourceType: DATA_RETENTION_TYPE,
      properties: { Mode: this.mode, RetainOnDelete: props.retainOnDelete ?? true },
    });
    this.resource.node.addDependency(role);
  }
}

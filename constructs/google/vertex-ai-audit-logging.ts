import { DataGoogleLoggingProjectCmekSettings } from '@cdktf/provider-google/lib/data-google-logging-project-cmek-settings';
import { LoggingProjectBucketConfig } from '@cdktf/provider-google/lib/logging-project-bucket-config';
import { LoggingProjectSink } from '@cdktf/provider-google/lib/logging-project-sink';
import { ProjectIamAuditConfig } from '@cdktf/provider-google/lib/project-iam-audit-config';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CdktfGuardrail } from '../../aspects/cdktf';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { LocationPinnedKey } from './customer-managed-key';
import { requireGoogleLocationKind } from './locations';

/** The API whose audit logs record Vertex AI model calls. */
export const VERTEX_AI_SERVICE = 'aiplatform.googleapis.com';

/** Retention Cloud Logging accepts for a log bucket, in days. */
const BUCKET_RETENTION_RANGE = { min: 1, max: 3650 };

/** Audit retention when the policy sets no minimum: a year covers a SOC 2 observation period. */
const FALLBACK_RETENTION_DAYS = 365;

export interface VertexAiAuditLoggingProps {
  /** The project whose Vertex AI calls are audited (audit configs and log buckets are per project). */
  readonly project: string;
  /**
   * Location of the log bucket: a region such as `europe-west4`, or the `eu`
   * / `us` multi-region, inside the policy's residency. Not `global`.
   */
  readonly location: string;
  /**
   * The policy the logging must satisfy.
   * @default - the `llm-guardrail:policy` context value, else the one in ./cdktf.json
   */
  readonly policy?: GuardrailPolicy;
  /**
   * Id of the log bucket.
   * @default "vertex-ai-audit"
   */
  readonly bucketId?: string;
  /**
   * Days the bucket keeps audit logs (1–3650); at least the policy minimum.
   * @default - the policy's minAuditLogRetentionDays, or 365 when it sets none
   */
  readonly retentionDays?: number;
  /**
   * Lock the bucket so that nobody can shorten retention or delete it before
   * entries expire. Irreversible once applied.
   * @default false
   */
  readonly locked?: boolean;
  /**
   * An existing Cloud KMS key for the bucket, in the bucket's location.
   * @default - a key is created when the policy requires customer-managed keys
   */
  readonly kmsKeyName?: string;
  /**
   * Whether to encrypt the bucket with a customer-managed key.
   * @default true (LCG-ENC-050 warns without one, and fails when the policy requires it)
   */
  readonly customerManagedKey?: boolean;
  /**
   * Whether to grant the project's Cloud Logging service account use of the
   * created key.
   * @default true
   */
  readonly grantServiceAgent?: boolean;
  /**
   * Logging filter of the sink that routes Vertex AI logs to the bucket.
   * @default - every audit log entry of aiplatform.googleapis.com
   */
  readonly sinkFilter?: string;
}

/**
 * The audit trail of Vertex AI use in a project: Data Access audit logs
 * (ADMIN_READ, DATA_READ, DATA_WRITE) for aiplatform.googleapis.com, which
 * are off by default, and a sink routing them to a log bucket inside the
 * jurisdiction that keeps them for the policy's audit retention (the
 * `_Default` bucket keeps 30 days).
 */
export class VertexAiAuditLogging extends Construct {
  readonly auditConfig: ProjectIamAuditConfig;
  readonly bucket: LoggingProjectBucketConfig;
  readonly sink: LoggingProjectSink;
  /** The key created for the bucket, when one was needed and none was given. */
  readonly key?: LocationPinnedKey;
  /** Days the bucket keeps entries. */
  readonly retentionDays: number;
  readonly policy: GuardrailPolicy;

  constructor(scope: Construct, id: string, props: VertexAiAuditLoggingProps) {
    super(scope, id);
    this.policy = CdktfGuardrail.policyOf(this, props.policy);
    const where = this.node.path;
    requireGoogleLocationKind(this, props.location, 'Vertex AI audit log bucket', ['region', 'multi-region', 'global']);

    const minimum = this.policy.minAuditLogRetentionDays;
    this.retentionDays = props.retentionDays ?? (minimum > 0 ? minimum : FALLBACK_RETENTION_DAYS);
    if (!Number.isInteger(this.retentionDays) || this.retentionDays < BUCKET_RETENTION_RANGE.min || this.retentionDays > BUCKET_RETENTION_RANGE.max) {
      throw new Error(`${where}: retentionDays ${this.retentionDays} is outside the ${BUCKET_RETENTION_RANGE.min}–${BUCKET_RETENTION_RANGE.max} days a Cloud Logging bucket accepts (fix: choose a whole number of days in that range)`);
    }
    const customerManagedKey = props.customerManagedKey ?? true;
    // What the policy forbids (retention below its minimum, Google-managed keys) is built as asked: the gate reports it
    // (LCG-RET-004, LCG-ENC-050) with the report file and acknowledgements of every finding.
    if (!customerManagedKey && props.kmsKeyName !== undefined) {
      throw new Error(`${where}: kmsKeyName is set but customerManagedKey is false (fix: remove one of them)`);
    }
    const bucketId = props.bucketId ?? 'vertex-ai-audit';

    this.auditConfig = new ProjectIamAuditConfig(this, 'DataAccessAuditLogs', {
      project: props.project,
      service: VERTEX_AI_SERVICE,
      auditLogConfig: [{ logType: 'ADMIN_READ' }, { logType: 'DATA_READ' }, { logType: 'DATA_WRITE' }],
    });

    let kmsKeyName = props.kmsKeyName;
    const grants: ITerraformDependable[] = [];
    if (customerManagedKey && kmsKeyName === undefined) {
      this.key = new LocationPinnedKey(this, 'Key', { location: props.location, project: props.project });
      kmsKeyName = this.key.kmsKeyName;
      if (props.grantServiceAgent ?? true) {
        const settings = new DataGoogleLoggingProjectCmekSettings(this, 'LoggingServiceAccount', { project: props.project });
        grants.push(this.key.grantEncryptDecrypt('LoggingServiceAgent', `serviceAccount:${settings.serviceAccountId}`));
      }
    }

    this.bucket = new LoggingProjectBucketConfig(this, 'Bucket', {
      project: props.project,
      location: props.location,
      bucketId,
      description: `Vertex AI audit logs, kept ${this.retentionDays} days.`,
      retentionDays: this.retentionDays,
      locked: props.locked ?? false,
      cmekSettings: kmsKeyName !== undefined ? { kmsKeyName } : undefined,
      dependsOn: grants.length > 0 ? grants : undefined,
    });

    this.sink = new LoggingProjectSink(this, 'Sink', {
      name: `${bucketId}-sink`,
      project: props.project,
      destination: `logging.googleapis.com/projects/${props.project}/locations/${props.location}/buckets/${bucketId}`,
      filter: props.sinkFilter ?? `logName:"cloudaudit.googleapis.com" AND protoPayload.serviceName="${VERTEX_AI_SERVICE}"`,
      dependsOn: [this.bucket],
    });
  }

  /** The bucket's resource name, `projects/<project>/locations/<location>/buckets/<id>`. */
  get bucketName(): string {
    return this.bucket.name;
  }
}

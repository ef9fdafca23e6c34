import * as crypto from 'crypto';
import { BigqueryDataset } from '@cdktf/provider-google/lib/bigquery-dataset';
import { DataGoogleBigqueryDefaultServiceAccount } from '@cdktf/provider-google/lib/data-google-bigquery-default-service-account';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { VertexAiEndpoint } from '@cdktf/provider-google/lib/vertex-ai-endpoint';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { CdktfGuardrail } from '../../aspects/cdktf';
import { LOG_ROLE_TAG } from '../../lib/analysis/log-wiring';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { LocationPinnedKey } from './customer-managed-key';
import { requireGoogleLocationKind, vertexAiRegionalHost } from './locations';

const MILLISECONDS_PER_DAY = 86_400_000;

export interface RegionalVertexAiEndpointProps {
  /**
   * The region of the endpoint, e.g. `europe-west4`. Must be a Google Cloud
   * region inside the policy's residency: Vertex AI endpoints are regional,
   * and `global` gives no processing location guarantee.
   */
  readonly location: string;
  /**
   * The policy the endpoint must satisfy.
   * @default - the `llm-guardrail:policy` context value, else the one in ./cdktf.json
   */
  readonly policy?: GuardrailPolicy;
  /**
   * Project of the endpoint (and of its key and log dataset).
   * @default - the google provider's project
   */
  readonly project?: string;
  /**
   * Display name of the endpoint.
   * @default - the construct id
   */
  readonly displayName?: string;
  /**
   * The endpoint's numeric id (up to 10 digits, no leading zero).
   * @default - a stable number derived from the construct path
   */
  readonly endpointId?: string;
  /**
   * An existing Cloud KMS key for the endpoint (and its log dataset), in the
   * endpoint's region.
   * @default - a key ring and key are created in the endpoint's region
   */
  readonly kmsKeyName?: string;
  /**
   * Whether to encrypt with a customer-managed key at all. Only `false` when
   * the policy does not require customer-managed keys.
   * @default true
   */
  readonly customerManagedKey?: boolean;
  /**
   * Whether to grant the Vertex AI (and, with logging, BigQuery) service
   * agents use of the created key. Switch off when key grants are managed
   * elsewhere.
   * @default true
   */
  readonly grantServiceAgents?: boolean;
  /**
   * Expose the endpoint through Private Service Connect. Ignored when
   * `network` is set (the two are exclusive).
   * @default true
   */
  readonly privateServiceConnect?: boolean;
  /**
   * Projects allowed to reach the endpoint through Private Service Connect.
   * @default - the endpoint's project, when `project` is set
   */
  readonly privateServiceConnectProjects?: string[];
  /**
   * A VPC network to peer the endpoint with instead of Private Service
   * Connect: `projects/<project number>/global/networks/<name>`, with private
   * services access configured.
   * @default - no peering (Private Service Connect, see `privateServiceConnect`)
   */
  readonly network?: string;
  /**
   * Log prediction requests and responses to a BigQuery dataset created in the
   * endpoint's region. They hold prompts and responses: personal data. The
   * endpoint's only record of what was asked and answered (LCG-PRV-008).
   * @default true
   */
  readonly requestResponseLogging?: boolean;
  /**
   * Fraction of requests logged, in (0, 1].
   * @default 1
   */
  readonly requestResponseSamplingRate?: number;
  /**
   * Days the request/response log partitions are kept.
   * @default - the policy's maxContentLogRetentionDays, else 30
   */
  readonly requestResponseRetentionDays?: number;
  /**
   * Labels for the endpoint.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * A Vertex AI endpoint pinned to a region the policy allows, encrypted with a
 * customer-managed key in that region, reached through Private Service
 * Connect (or a peered VPC), optionally logging requests and responses to a
 * BigQuery dataset in the same region.
 *
 * Applications should call models through {@link regionalApiHost} so that ML
 * processing stays in the region.
 */
export class RegionalVertexAiEndpoint extends Construct {
  readonly endpoint: VertexAiEndpoint;
  /** The endpoint region, e.g. `europe-west4`. */
  readonly location: string;
  /** The regional API host for this region, e.g. `europe-west4-aiplatform.googleapis.com`. */
  readonly regionalApiHost: string;
  /** The policy the endpoint was validated against. */
  readonly policy: GuardrailPolicy;
  /** The key created for the endpoint, when none was given. */
  readonly key?: LocationPinnedKey;
  /** The Cloud KMS key protecting the endpoint, when customer-managed encryption is on. */
  readonly kmsKeyName?: string;
  /** The BigQuery dataset receiving requests and responses, when logging is on. */
  readonly requestResponseDataset?: BigqueryDataset;

  constructor(scope: Construct, id: string, props: RegionalVertexAiEndpointProps) {
    super(scope, id);
    this.policy = CdktfGuardrail.policyOf(this, props.policy);
    const where = this.node.path;
    requireGoogleLocationKind(this, props.location, 'Vertex AI endpoint', ['region']);
    this.location = props.location;
    this.regionalApiHost = vertexAiRegionalHost(props.location);

    if (props.endpointId !== undefined && !Token.isUnresolved(props.endpointId) && !/^[1-9]\d{0,9}$/.test(props.endpointId)) {
      throw new Error(`${where}: endpointId "${props.endpointId}" must be numeric, up to 10 digits, without a leading zero (fix: e.g. "1234567890", or leave it out)`);
    }
    const customerManagedKey = props.customerManagedKey ?? true;
    // What the policy forbids (Google-managed keys, a public endpoint, prompt logs kept past its maximum) is built as
    // asked: the gate reports it (LCG-ENC-050, LCG-NET-050, LCG-RET-050) with the report file and acknowledgements of
    // every finding.
    if (props.kmsKeyName !== undefined && !customerManagedKey) {
      throw new Error(`${where}: kmsKeyName is set but customerManagedKey is false (fix: remove one of them)`);
    }
    if (props.network !== undefined && props.privateServiceConnect === true) {
      throw new Error(`${where}: network and privateServiceConnect are exclusive on a Vertex AI endpoint (fix: set only one of them)`);
    }
    const usePrivateServiceConnect = props.network === undefined && (props.privateServiceConnect ?? true);
    const samplingRate = props.requestResponseSamplingRate ?? 1;
    if (!(samplingRate > 0 && samplingRate <= 1)) {
      throw new Error(`${where}: requestResponseSamplingRate ${samplingRate} is outside (0, 1] (fix: use a fraction such as 1 or 0.1)`);
    }
    const retentionDays = props.requestResponseRetentionDays ?? this.policy.maxContentLogRetentionDays ?? 30;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new Error(`${where}: requestResponseRetentionDays ${retentionDays} must be a whole number of days, at least 1 (fix: e.g. 30)`);
    }

    const grants: ITerraformDependable[] = [];
    const grantServiceAgents = props.grantServiceAgents ?? true;
    let project: DataGoogleProject | undefined;
    const projectNumber = (): string => (project ??= new DataGoogleProject(this, 'Project', { projectId: props.project })).number;
    if (customerManagedKey) {
      if (props.kmsKeyName !== undefined) {
        this.kmsKeyName = props.kmsKeyName;
      } else {
        this.key = new LocationPinnedKey(this, 'Key', { location: props.location, project: props.project });
        this.kmsKeyName = this.key.kmsKeyName;
        if (grantServiceAgents) {
          grants.push(this.key.grantEncryptDecrypt('VertexAiServiceAgent', `serviceAccount:service-${projectNumber()}@gcp-sa-aiplatform.iam.gserviceaccount.com`));
        }
      }
    }

    let outputUri: string | undefined;
    if (props.requestResponseLogging ?? true) {
      // The BigQuery service agent must hold the key before the dataset is created with it.
      const datasetGrants: ITerraformDependable[] = [];
      if (this.key && grantServiceAgents) {
        const bigquery = new DataGoogleBigqueryDefaultServiceAccount(this, 'BigQueryServiceAccount', { project: props.project });
        datasetGrants.push(this.key.grantEncryptDecrypt('BigQueryServiceAgent', bigquery.member));
      }
      const datasetId = `${datasetIdFor(this)}_request_response`;
      const dataset = new BigqueryDataset(this, 'RequestResponseLogs', {
        datasetId,
        project: props.project,
        location: props.location,
        description: `Vertex AI request/response logs of ${where}: prompts and responses, kept ${retentionDays} days.`,
        defaultPartitionExpirationMs: retentionDays * MILLISECONDS_PER_DAY,
        defaultEncryptionConfiguration: this.kmsKeyName !== undefined ? { kmsKeyName: this.kmsKeyName } : undefined,
        labels: { [LOG_ROLE_TAG]: 'content' },
        dependsOn: datasetGrants.length > 0 ? datasetGrants : undefined,
      });
      this.requestResponseDataset = dataset;
      outputUri = `bq://${props.project ?? dataset.project}.${datasetId}`;
    }

    const allowedProjects = props.privateServiceConnectProjects ?? (props.project !== undefined ? [props.project] : undefined);
    this.endpoint = new VertexAiEndpoint(this, 'Endpoint', {
      name: props.endpointId ?? numericIdFor(this),
      displayName: props.displayName ?? id,
      location: props.location,
      project: props.project,
      labels: props.labels,
      encryptionSpec: this.kmsKeyName !== undefined ? { kmsKeyName: this.kmsKeyName } : undefined,
      network: props.network,
      privateServiceConnectConfig: usePrivateServiceConnect ? { enablePrivateServiceConnect: true, projectAllowlist: allowedProjects } : undefined,
      predictRequestResponseLoggingConfig: outputUri !== undefined ? { enabled: true, samplingRate, bigqueryDestination: { outputUri } } : undefined,
      dependsOn: grants.length > 0 ? grants : undefined,
    });
  }

  /** The regional Vertex AI API host for a region, e.g. `europe-west4-aiplatform.googleapis.com`. */
  static regionalApiHostFor(region: string): string {
    return vertexAiRegionalHost(region);
  }
}

/** A stable ten-digit endpoint id (Vertex AI wants a number without a leading zero). */
function numericIdFor(scope: Construct): string {
  const hash = crypto.createHash('sha256').update(scope.node.path).digest('hex');
  return String(1_000_000_000 + (parseInt(hash.slice(0, 8), 16) % 1_000_000_000));
}

/** A BigQuery dataset id from the construct path: letters, digits and underscores. */
function datasetIdFor(scope: Construct): string {
  return scope.node.path.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 900) || 'vertex_ai';
}

import { logRolesOf } from '../../../analysis/log-wiring';
import { PREDICTION_LOG_URI, predictionLogDestination } from '../../../analysis/google';
import { TF_GOOGLE } from '../../../analysis/resource-types';
import { MILLISECONDS_PER_DAY, retentionViolations, storeRetention } from '../../../analysis/retention';
import type { Resource } from '../../../core/graph';
import type { Outcome } from '../../../core/findings';
import { describeValue, valueAt } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, RuleContext, ResourceRule } from '../../rule';

const LOGGING_ENABLED = 'predict_request_response_logging_config.enabled';

/**
 * Vertex AI request/response logs (prompts and responses, in BigQuery) expire
 * within the policy's maximum for content logs; BigQuery datasets and Cloud
 * Storage buckets that a log sink routes to, or that are labelled as log
 * stores, keep their role's retention.
 */
export const googlePredictionLogRetention: ResourceRule = {
  id: 'LCG-RET-050',
  title: 'BigQuery datasets and Cloud Storage buckets holding Vertex AI logs keep them for the policy retention',
  category: 'retention',
  severity: 'error',
  rationale:
    'Vertex AI request/response logging copies prompts and responses into BigQuery, where nothing expires unless the dataset says so: personal data kept forever breaks GDPR storage limitation. A destination outside the configuration (or a project-only URI, for which Vertex AI creates a dataset without expiration) cannot be shown to expire. Audit logs that a sink routes to a dataset or a Cloud Storage bucket are kept only as long as its expiration or its Delete lifecycle rules allow: a bucket that deletes them after 7 days keeps no SOC 2 evidence.',
  remediation:
    'Log to a google_bigquery_dataset of the configuration whose default_partition_expiration_ms (or default_table_expiration_ms) is at most the policy maximum, and name it in output_uri as bq://<project>.<dataset>. Give a dataset or google_storage_bucket that receives audit logs an expiration, or Delete lifecycle rules (condition age), no shorter than the audit minimum; a retention_policy holds objects at least its retention_period.',
  clauses: [CLAUSES.gdprStorageLimitation, CLAUSES.soc2Evidence, CLAUSES.aiActLogRetention],
  resourceTypes: [TF_GOOGLE.bigQueryDataset, TF_GOOGLE.storageBucket, TF_GOOGLE.vertexEndpoint],
  check(resource, context) {
    if (resource.type === TF_GOOGLE.vertexEndpoint) return checkEndpoint(resource, context);
    return resource.type === TF_GOOGLE.storageBucket ? checkBucket(resource, context) : checkDataset(resource, context);
  },
};

/** A dataset that receives request/response logs (or is labelled as a log store) keeps them within its roles' range. */
function checkDataset(dataset: Resource, context: RuleContext): Outcome {
  const roles = logRolesOf(context, dataset);
  const reading = storeRetention(context, dataset);
  if (!roles || !reading) return undefined;
  return retentionViolations(dataset, roles, reading, context.policy, (days) => `set default_partition_expiration_ms = ${days * MILLISECONDS_PER_DAY} (${days} days)`);
}

/** A Cloud Storage bucket that receives logs (or is labelled as a log store) keeps them within its roles' range. */
function checkBucket(bucket: Resource, context: RuleContext): Outcome {
  const roles = logRolesOf(context, bucket);
  const reading = storeRetention(context, bucket);
  if (!roles || !reading) return undefined;
  return retentionViolations(bucket, roles, reading, context.policy, (days) =>
    reading.attribute.startsWith('retention_policy')
      ? `set retention_policy.retention_period = ${days * 86_400} (${days} days)`
      : `give the bucket a Delete lifecycle_rule for the whole bucket with condition.age = ${days} (and with_state "ANY"), and no Delete rule with a smaller age`,
  );
}

/** An endpoint answers for request/response logs that go to a dataset outside the configuration (a dataset of it is judged on its own). */
function checkEndpoint(endpoint: Resource, context: RuleContext): Outcome {
  const enabled = valueAt(endpoint.properties, LOGGING_ENABLED);
  const maximum = context.policy.maxContentLogRetentionDays;
  if (enabled === undefined || enabled === false || enabled === null || maximum === undefined) return undefined;
  const destination = predictionLogDestination(context, endpoint);
  if ('dataset' in destination) return COMPLIANT;
  return [
    {
      message: destination.unverifiable
        ? `Cannot verify how long Vertex AI endpoint "${endpoint.id}" keeps request/response logs: ${destination.problem}.`
        : `Vertex AI endpoint "${endpoint.id}" logs requests and responses to a dataset without expiration: ${destination.problem}.`,
      found: `${PREDICTION_LOG_URI} = ${describeValue(valueAt(endpoint.properties, PREDICTION_LOG_URI))}`,
      expected: `bq://<project>.<dataset> naming a ${TF_GOOGLE.bigQueryDataset} of this configuration that expires entries within ${maximum} days`,
      fix: `create the ${TF_GOOGLE.bigQueryDataset} with default_partition_expiration_ms = ${maximum * MILLISECONDS_PER_DAY} and name it in output_uri`,
      attribute: PREDICTION_LOG_URI,
      ...(destination.unverifiable ? { cannotVerify: true } : {}),
    },
  ];
}

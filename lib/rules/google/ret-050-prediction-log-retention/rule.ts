import type { Resource, ResourceGraph } from '../../../core/graph';
import { LogRole, logRoles } from '../../../analysis/log-wiring';
import { Retention, retentionViolations } from '../../../analysis/retention';
import { Reference, Unresolved, Value, describeValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { valueAt } from '../../../analysis/google';
import { COMPLIANT, RuleContext, ResourceRule } from '../../rule';

const DATASET_TYPE = 'google_bigquery_dataset';
const ENDPOINT_TYPE = 'google_vertex_ai_endpoint';
const LOGGING_ENABLED = 'predict_request_response_logging_config.enabled';
const OUTPUT_URI = 'predict_request_response_logging_config.bigquery_destination.output_uri';
const MILLISECONDS_PER_DAY = 86_400_000;

/** Where an endpoint's request/response logs go: a dataset of this configuration, or why that is unknown. */
type Destination = { readonly dataset: Resource } | { readonly problem: string; readonly unverifiable: boolean };

/**
 * Vertex AI request/response logs (prompts and responses, in BigQuery) expire
 * within the policy's maximum for content logs; BigQuery datasets labelled as
 * log stores keep their role's retention.
 */
export const googlePredictionLogRetention: ResourceRule = {
  id: 'LCG-RET-050',
  title: 'BigQuery datasets holding Vertex AI request/response logs expire them within the policy retention',
  category: 'retention',
  severity: 'error',
  rationale:
    'Vertex AI request/response logging copies prompts and responses into BigQuery, where nothing expires unless the dataset says so: personal data kept forever breaks GDPR storage limitation. A destination outside the configuration (or a project-only URI, for which Vertex AI creates a dataset without expiration) cannot be shown to expire.',
  remediation:
    'Log to a google_bigquery_dataset of the configuration whose default_partition_expiration_ms (or default_table_expiration_ms) is at most the policy maximum, and name it in output_uri as bq://<project>.<dataset>.',
  clauses: [CLAUSES.gdprStorageLimitation, CLAUSES.soc2Evidence, CLAUSES.aiActLogRetention],
  resourceTypes: [DATASET_TYPE, ENDPOINT_TYPE],
  check(resource, context) {
    return resource.type === ENDPOINT_TYPE ? checkEndpoint(resource, context) : checkDataset(resource, context);
  },
};

function checkDataset(dataset: Resource, context: RuleContext) {
  const roles = new Set<LogRole>(logRoles(context).get(dataset.key) ?? []);
  if (predictionLogDatasets(context).has(dataset.key)) roles.add('content');
  if (roles.size === 0) return undefined;
  const { retention, attribute } = datasetRetention(dataset);
  return retentionViolations(dataset, roles, retention, context.policy, attribute, (days) => `set default_partition_expiration_ms = ${days * MILLISECONDS_PER_DAY} (${days} days)`);
}

function checkEndpoint(endpoint: Resource, context: RuleContext) {
  const enabled = valueAt(endpoint.properties, LOGGING_ENABLED);
  const maximum = context.policy.maxContentLogRetentionDays;
  if (enabled === undefined || enabled === false || enabled === null || maximum === undefined) return undefined;
  const destination = destinationOf(endpoint, context.graph);
  // A dataset of the configuration is judged on its own; the endpoint only answers for destinations outside it.
  if ('dataset' in destination) return COMPLIANT;
  return [
    {
      message: destination.unverifiable
        ? `Cannot verify how long Vertex AI endpoint "${endpoint.id}" keeps request/response logs: ${destination.problem}.`
        : `Vertex AI endpoint "${endpoint.id}" logs requests and responses to a dataset without expiration: ${destination.problem}.`,
      found: `${OUTPUT_URI} = ${describeValue(valueAt(endpoint.properties, OUTPUT_URI))}`,
      expected: `bq://<project>.<dataset> naming a ${DATASET_TYPE} of this configuration that expires entries within ${maximum} days`,
      fix: `create the ${DATASET_TYPE} with default_partition_expiration_ms = ${maximum * MILLISECONDS_PER_DAY} and name it in output_uri`,
      attribute: OUTPUT_URI,
    },
  ];
}

/** Datasets that endpoints of the graph send request/response logs to; computed once per run. */
function predictionLogDatasets(context: RuleContext): ReadonlySet<string> {
  return context.memo('google-prediction-log-datasets', () => {
    const keys = new Set<string>();
    for (const endpoint of context.graph.ofType(ENDPOINT_TYPE)) {
      const enabled = valueAt(endpoint.properties, LOGGING_ENABLED);
      if (enabled === undefined || enabled === false || enabled === null) continue;
      const destination = destinationOf(endpoint, context.graph);
      if ('dataset' in destination) keys.add(destination.dataset.key);
    }
    return keys;
  });
}

function destinationOf(endpoint: Resource, graph: ResourceGraph): Destination {
  const uri = valueAt(endpoint.properties, OUTPUT_URI);
  const datasets = graph.ofType(DATASET_TYPE).filter((dataset) => dataset.stack === endpoint.stack);
  if (uri === undefined || uri === null || uri === '') return { problem: 'no output_uri is set, so Vertex AI creates a dataset of its own', unverifiable: false };
  if (typeof uri === 'string') {
    const match = /^bq:\/\/([^.]+)(?:\.([^.]+))?(?:\.[^.]+)?$/.exec(uri);
    if (!match) return { problem: `"${uri}" is not a bq://project.dataset URI`, unverifiable: true };
    if (!match[2]) return { problem: 'the URI names only a project, so Vertex AI creates a dataset of its own', unverifiable: false };
    const found = datasets.find((dataset) => dataset.properties.dataset_id === match[2] && (typeof dataset.properties.project !== 'string' || dataset.properties.project === match[1]));
    return found ? { dataset: found } : { problem: `dataset "${match[2]}" is not part of this configuration`, unverifiable: true };
  }
  const mentioned = uri instanceof Reference ? [uri.target] : uri instanceof Unresolved ? uri.references : [];
  const found = datasets.filter((dataset) => mentioned.includes(dataset.key));
  if (found.length === 1) return { dataset: found[0] };
  return { problem: 'the destination is known only at plan time', unverifiable: true };
}

/** The shorter of the dataset's default expirations: either one removes the log rows after that many days. */
function datasetRetention(dataset: Resource): { retention: Retention; attribute: string } {
  const candidates: { attribute: string; value: Value | undefined }[] = [
    { attribute: 'default_partition_expiration_ms', value: dataset.properties.default_partition_expiration_ms },
    { attribute: 'default_table_expiration_ms', value: dataset.properties.default_table_expiration_ms },
  ];
  let best: { retention: Retention; attribute: string } | undefined;
  for (const { attribute, value } of candidates) {
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number') return { retention: { unresolved: describeValue(value) }, attribute };
    const days = value / MILLISECONDS_PER_DAY;
    if (!best || ('days' in best.retention && days < best.retention.days)) best = { retention: { days }, attribute };
  }
  return best ?? { retention: { never: true }, attribute: 'default_partition_expiration_ms' };
}

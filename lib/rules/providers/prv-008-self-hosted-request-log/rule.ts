import { dataCaptureOf } from '../../../analysis/sagemaker';
import { PREDICTION_LOG_URI, predictionLogDestination } from '../../../analysis/google';
import { AWS_TYPES, TF_GOOGLE } from '../../../analysis/resource-types';
import type { Resource } from '../../../core/graph';
import type { Outcome } from '../../../core/findings';
import { Unresolved, describeValue, valueAt } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

const VERTEX_LOGGING = 'predict_request_response_logging_config';

/**
 * A model served in the team's own account — a SageMaker real-time endpoint,
 * a Vertex AI endpoint serving a custom or open model — keeps a record of
 * every request and response: SageMaker data capture of Input and Output at
 * 100%, Vertex AI request/response logging at sampling rate 1, into a store
 * of the configuration (whose region and expiry the residency and retention
 * rules then judge). A sampled log is a warning: a record of some requests,
 * chosen for cost, that the team should know is not a record of all.
 */
export const selfHostedRequestLog: ResourceRule = {
  id: 'LCG-PRV-008',
  title: 'Self-hosted model endpoints record every request and response',
  category: 'provider',
  severity: 'error',
  rationale:
    'A model served from a SageMaker or Vertex AI endpoint has no provider-side log: its request log is the endpoint\'s own data capture, off by default. Without it, or with only a sample, there is no record of which prompts were sent and what the model answered — no audit trail for SOC 2 CC7.2, HIPAA §164.312(b) or EU AI Act Art. 12 — and a capture bucket outside the configuration cannot be shown to stay in the jurisdiction or to expire.',
  remediation:
    'SageMaker: DataCaptureConfig (data_capture_config) with EnableCapture true, CaptureOptions Input and Output, InitialSamplingPercentage 100 and DestinationS3Uri in a bucket of the configuration with a lifecycle expiry. Vertex AI: predict_request_response_logging_config { enabled = true, sampling_rate = 1, bigquery_destination.output_uri naming a dataset of the configuration }.',
  clauses: [CLAUSES.hipaaAuditControls, CLAUSES.soc2Monitoring, CLAUSES.aiActRecordKeeping],
  resourceTypes: [...AWS_TYPES.sageMakerEndpointConfigs, TF_GOOGLE.vertexEndpoint],
  formats: ['cloudformation', 'terraform'],
  check(resource, context) {
    return resource.type === TF_GOOGLE.vertexEndpoint ? checkVertex(resource, context) : checkSageMaker(resource, context);
  },
};

function checkSageMaker(config: Resource, context: Parameters<ResourceRule['check']>[1]): Outcome {
  const capture = dataCaptureOf(context, config);
  if (capture.problems.length === 0) return COMPLIANT;
  return capture.problems.map(
    (problem): Violation => ({
      message: problem.unverifiable
        ? `Cannot verify that SageMaker endpoint configuration "${config.id}" records every request and response: ${problem.what}.`
        : `SageMaker endpoint configuration "${config.id}" does not record every request and response: ${problem.what}.`,
      found: problem.found,
      expected: `${capture.attribute} capturing Input and Output at 100% into a bucket of this configuration`,
      fix: capture.status === 'off' ? `add ${capture.attribute} { EnableCapture: true, InitialSamplingPercentage: 100, CaptureOptions: [Input, Output], DestinationS3Uri: s3://<bucket of this configuration>/capture }` : `set ${capture.attribute} to capture Input and Output at 100% into a bucket of this configuration`,
      attribute: capture.attribute,
      ...(problem.unverifiable ? { cannotVerify: true } : {}),
      ...(problem.sampled ? { severity: 'warning' as const } : {}),
    }),
  );
}

function checkVertex(endpoint: Resource, context: Parameters<ResourceRule['check']>[1]): Outcome {
  const enabled = valueAt(endpoint.properties, `${VERTEX_LOGGING}.enabled`);
  const expected = `${VERTEX_LOGGING} { enabled = true, sampling_rate = 1, bigquery_destination.output_uri = bq://<project>.<dataset of this configuration> }`;
  const violation = (what: string, found: string, unverifiable: boolean, sampled = false): Violation => ({
    message: unverifiable ? `Cannot verify that Vertex AI endpoint "${endpoint.id}" records every request and response: ${what}.` : `Vertex AI endpoint "${endpoint.id}" does not record every request and response: ${what}.`,
    found,
    expected,
    fix: `set ${expected}`,
    attribute: VERTEX_LOGGING,
    ...(unverifiable ? { cannotVerify: true } : {}),
    ...(sampled ? { severity: 'warning' as const } : {}),
  });
  if (enabled === undefined || enabled === null || enabled === false) return [violation(enabled === false ? 'request/response logging is disabled' : 'request/response logging is not configured', `${VERTEX_LOGGING}.enabled = ${describeValue(enabled)}`, false)];
  const violations: Violation[] = [];
  if (enabled !== true) violations.push(violation('whether logging is on is known only at plan time', `${VERTEX_LOGGING}.enabled = ${describeValue(enabled)}`, true));
  const rate = valueAt(endpoint.properties, `${VERTEX_LOGGING}.sampling_rate`);
  if (rate instanceof Unresolved || (rate !== undefined && typeof rate !== 'number')) violations.push(violation('the share of requests logged is known only at plan time', `${VERTEX_LOGGING}.sampling_rate = ${describeValue(rate)}`, true));
  else if (typeof rate === 'number' && rate < 1) violations.push(violation(`only ${Math.round(rate * 100)}% of requests are logged: a sample, not a record of every request`, `${VERTEX_LOGGING}.sampling_rate = ${rate}`, false, true));
  else if (rate === undefined) violations.push(violation('no sampling rate is set, so the share of requests logged is the service default', `${VERTEX_LOGGING}.sampling_rate absent`, true));
  const destination = predictionLogDestination(context, endpoint);
  if (!('dataset' in destination)) violations.push(violation(destination.problem, `${PREDICTION_LOG_URI} = ${describeValue(valueAt(endpoint.properties, PREDICTION_LOG_URI))}`, destination.unverifiable));
  return violations.length > 0 ? violations : COMPLIANT;
}

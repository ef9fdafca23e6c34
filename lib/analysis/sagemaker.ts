/**
 * SageMaker real-time endpoints serve models in the team's own account; their
 * request log is the endpoint configuration's data capture: whether it is on,
 * whether it records requests and responses, how many of them, and the S3
 * bucket it writes to. Rules, log wiring and the data-flow documentation read
 * it here.
 */
import type { Resource } from '../core/graph';
import { Reference, Unresolved, Value, asList, block, describeValue, switchValue } from '../core/values';
import { AnalysisContext, memoByKey } from './context';
import { resolveResource } from './resolve';
import { AWS_TYPES, CFN } from './resource-types';

export interface DataCapture {
  /** The block as the format writes it: `DataCaptureConfig` or `data_capture_config`. */
  readonly attribute: string;
  /** `off` when the block is absent or capture is disabled; `unknown` when known only at deploy or plan time. */
  readonly status: 'on' | 'off' | 'unknown';
  /** What is wrong or unknown, for messages. */
  readonly problems: readonly { readonly what: string; readonly found: string; readonly unverifiable: boolean; readonly sampled?: boolean }[];
  /** The bucket of the configuration the capture writes to. */
  readonly bucket?: Resource;
  /** Every variant is serverless: data capture is not available. */
  readonly serverless?: boolean;
}

/** The data capture of a SageMaker endpoint configuration, once per run. */
export function dataCaptureOf(context: AnalysisContext, config: Resource): DataCapture {
  return memoByKey(context, 'sagemaker.data-capture', config, () => readDataCapture(context, config));
}

function readDataCapture(context: AnalysisContext, config: Resource): DataCapture {
  const cfn = config.type === CFN.sageMakerEndpointConfig;
  const attribute = cfn ? 'DataCaptureConfig' : 'data_capture_config';
  const raw = config.properties[attribute];
  // Serverless variants cannot capture data: the request log must be kept by whoever calls the endpoint.
  const variants = asList(config.properties[cfn ? 'ProductionVariants' : 'production_variants']);
  if (variants.length > 0 && variants.every((variant) => block(variant)?.[cfn ? 'ServerlessConfig' : 'serverless_config'] !== undefined)) {
    return { attribute, status: 'off', serverless: true, problems: [{ what: 'a serverless endpoint cannot capture data, so no request log is kept at the endpoint: keep one in the code that calls it', found: `${cfn ? 'ProductionVariants[].ServerlessConfig' : 'production_variants.serverless_config'} set`, unverifiable: false, sampled: true }] };
  }
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) return { attribute, status: 'off', problems: [{ what: 'no data capture is configured', found: `${attribute} absent`, unverifiable: false }] };
  const capture = block(raw);
  if (!capture) return { attribute, status: 'unknown', problems: [{ what: 'the data capture block is known only at deploy or plan time', found: `${attribute} = ${describeValue(raw)}`, unverifiable: true }] };
  const key = (cfnName: string, tfName: string): string => (cfn ? cfnName : tfName);
  // EnableCapture defaults to true in CloudFormation (and the API); the Terraform provider sends false when enable_capture is unset.
  const enabled = switchValue(capture[key('EnableCapture', 'enable_capture')]) ?? (cfn ? undefined : false);
  if (enabled === false) return { attribute, status: 'off', problems: [{ what: 'data capture is disabled', found: `${attribute}.${key('EnableCapture', 'enable_capture')} = ${capture[key('EnableCapture', 'enable_capture')] === undefined ? '(not set: the Terraform provider sends false)' : 'false'}`, unverifiable: false }] };
  const problems: { what: string; found: string; unverifiable: boolean; sampled?: boolean }[] = [];
  if (enabled === 'unknown') problems.push({ what: 'whether data capture is on is known only at deploy or plan time', found: `${attribute}.${key('EnableCapture', 'enable_capture')} = ${describeValue(capture[key('EnableCapture', 'enable_capture')])}`, unverifiable: true });
  const optionsAttribute = `${attribute}.${key('CaptureOptions', 'capture_options')}`;
  const options = capture[key('CaptureOptions', 'capture_options')];
  const modes = asList(options).map((option) => block(option)?.[key('CaptureMode', 'capture_mode')]);
  if (options instanceof Unresolved || options instanceof Reference || modes.some((mode) => typeof mode !== 'string')) {
    problems.push({ what: 'what is captured is known only at deploy or plan time', found: `${optionsAttribute} = ${describeValue(options)}`, unverifiable: true });
  } else {
    // InputAndOutput records both.
    const missing = ['Input', 'Output'].filter((mode) => !modes.some((written) => (written as string).toLowerCase() === mode.toLowerCase() || (written as string).toLowerCase() === 'inputandoutput'));
    if (missing.length > 0) problems.push({ what: `the capture records no ${missing.join(' and no ').toLowerCase().replace('input', 'requests (Input)').replace('output', 'responses (Output)')}`, found: `${optionsAttribute} = ${modes.length > 0 ? modes.join(', ') : 'none'}`, unverifiable: false });
  }
  const samplingAttribute = `${attribute}.${key('InitialSamplingPercentage', 'initial_sampling_percentage')}`;
  const sampling = capture[key('InitialSamplingPercentage', 'initial_sampling_percentage')];
  const percent = typeof sampling === 'number' ? sampling : typeof sampling === 'string' && /^\d+$/.test(sampling) ? Number(sampling) : undefined;
  if (percent === undefined) problems.push({ what: 'the share of requests captured is known only at deploy or plan time', found: `${samplingAttribute} = ${describeValue(sampling)}`, unverifiable: true });
  else if (percent < 100) problems.push({ what: `only ${percent}% of requests are captured: a sample, not a record of every request`, found: `${samplingAttribute} = ${percent}`, unverifiable: false, sampled: true });
  const destinationAttribute = `${attribute}.${key('DestinationS3Uri', 'destination_s3_uri')}`;
  const destination = capture[key('DestinationS3Uri', 'destination_s3_uri')];
  const bucket = captureBucket(context, destination);
  if (!bucket) problems.push({ what: 'the bucket the capture writes to is not part of this configuration, so where it lies and how long it keeps requests cannot be read', found: `${destinationAttribute} = ${describeValue(destination)}`, unverifiable: true });
  return { attribute, status: enabled === 'unknown' ? 'unknown' : 'on', problems, ...(bucket ? { bucket } : {}) };
}

/**
 * The bucket of the configuration an `s3://bucket/prefix` URI names: a
 * literal name, or a reference in the bucket's place (`s3://${CaptureBucket}/…`);
 * a reference elsewhere in the URI (a prefix under another bucket) names no
 * bucket of the configuration.
 */
function captureBucket(context: AnalysisContext, value: Value | undefined): Resource | undefined {
  if (typeof value === 'string') {
    const match = /^s3:\/\/([^/]+)/.exec(value);
    return match ? resolveResource(context, match[1], AWS_TYPES.buckets) : undefined;
  }
  if (value instanceof Unresolved && !/^s3:\/\/\$\{[^}]+\}(?:\/|$)/.test(value.expression)) return undefined;
  return resolveResource(context, value, AWS_TYPES.buckets);
}

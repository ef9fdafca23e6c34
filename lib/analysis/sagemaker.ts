/**
 * SageMaker real-time endpoints serve models in the team's own account; their
 * request log is the endpoint configuration's data capture: whether it is on,
 * whether it records requests and responses, how many of them, and the S3
 * bucket it writes to. Rules, log wiring and the data-flow documentation read
 * it here.
 */
import type { Resource } from '../core/graph';
import { Reference, Unresolved, Value, asList, block, describeValue, isPlainObject, switchValue, walkKeys } from '../core/values';
import { AnalysisContext, memoByKey } from './context';
import { actionMatches, policyStatements, unreadablePolicy } from './iam';
import { CODE_TYPE_NAMES } from './model-choices';
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

/** The SageMaker runtime actions that send a request to an endpoint (and so a prompt to the model behind it). */
export const SAGEMAKER_INVOKE_ACTIONS: readonly string[] = ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync', 'sagemaker:InvokeEndpointWithResponseStream'];

/** Where a principal may send requests to SageMaker endpoints: one Allow statement, or one endpoint host handed to code. */
export interface EndpointInvocation {
  readonly resource: Resource;
  /** Path of the statement's `Resource` (or of the setting), for messages. */
  readonly attribute: string;
  /** `grant`: an IAM statement; `host`: a runtime host handed to code. */
  readonly kind: 'grant' | 'host';
  /** The action patterns as written (none for a host). */
  readonly actions: readonly string[];
  /** The statement's resources (`['*']` for an Allow with NotResource), or the host as written. */
  readonly targets: readonly Value[];
  /** Whether the statement names SageMaker itself (not only `*`, which the Bedrock rules judge already). */
  readonly namesSageMaker: boolean;
  /** The regions an `aws:RequestedRegion` condition of the statement limits calls to, when it names them literally. */
  readonly requestedRegions?: readonly string[];
}

/** The literal regions a statement's `aws:RequestedRegion` condition (StringEquals, StringLike without wildcards) allows. */
function requestedRegionsOf(statement: { readonly [key: string]: Value }): string[] | undefined {
  const condition = statement.Condition;
  if (!isPlainObject(condition)) return undefined;
  for (const [operator, test] of Object.entries(condition)) {
    if (!/^(ForAnyValue:)?String(Equals|Like)(IgnoreCase)?$/.test(operator) || !isPlainObject(test)) continue;
    for (const [key, values] of Object.entries(test)) {
      if (key.toLowerCase() !== 'aws:requestedregion') continue;
      const regions = asList(values);
      if (regions.length > 0 && regions.every((region) => typeof region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))) return regions as string[];
    }
  }
  return undefined;
}

/** The regional SageMaker runtime host (`runtime.sagemaker.<region>.amazonaws.com`, FIPS too) a setting names. */
const RUNTIME_HOST = /\bruntime(?:-fips)?\.sagemaker\.([a-z0-9-]+|\$\{[^}]*\})\.amazonaws\.com/g;

/** The region of a SageMaker runtime host (`${…}` when it is known only at deploy or plan time). */
export function runtimeHostRegion(host: string): string | undefined {
  RUNTIME_HOST.lastIndex = 0;
  return RUNTIME_HOST.exec(host)?.[1];
}

/**
 * The SageMaker endpoint invocations a resource allows (IAM statements that
 * allow an invoke action) or makes (a runtime host in its settings: an
 * environment variable, inline code); once per run. A statement that cannot
 * be read and mentions SageMaker counts, with an unresolved target.
 */
export function sageMakerInvocations(context: AnalysisContext, resource: Resource): readonly EndpointInvocation[] {
  return memoByKey(context, 'sagemaker.invocations', resource, () => [...grantedInvocations(resource), ...hostInvocations(resource)]);
}

function grantedInvocations(resource: Resource): EndpointInvocation[] {
  const out: EndpointInvocation[] = [];
  for (const entry of policyStatements(resource)) {
    if ('unreadable' in entry) {
      if (/sagemaker/i.test(entry.unreadable.expression)) out.push({ resource, attribute: entry.attribute, kind: 'grant', actions: [`(unresolved ${entry.what})`], targets: [unreadablePolicy(entry.unreadable, entry.what)], namesSageMaker: true });
      continue;
    }
    const { statement } = entry;
    if (typeof statement.Effect === 'string' && statement.Effect !== 'Allow') continue;
    let actions: string[];
    if (statement.NotAction !== undefined) {
      const excluded = asList(statement.NotAction);
      const granted = SAGEMAKER_INVOKE_ACTIONS.some((action) => !excluded.some((pattern) => typeof pattern === 'string' && actionMatches(pattern, action)));
      actions = granted ? [`NotAction ${excluded.map((value) => String(value)).join(', ')}`] : [];
    } else {
      actions = asList(statement.Action).flatMap((pattern) =>
        typeof pattern !== 'string' ? (/sagemaker/i.test(JSON.stringify(statement.Resource ?? '')) ? [describeValue(pattern)] : []) : SAGEMAKER_INVOKE_ACTIONS.some((action) => actionMatches(pattern, action)) ? [pattern] : [],
      );
    }
    if (actions.length === 0) continue;
    const namesSageMaker = actions.some((action) => /sagemaker/i.test(action));
    const requested = requestedRegionsOf(statement);
    const limits = requested ? { requestedRegions: requested } : {};
    if (statement.NotResource !== undefined) out.push({ resource, attribute: `${entry.attribute}.NotResource`, kind: 'grant', actions, targets: ['*'], namesSageMaker, ...limits });
    else out.push({ resource, attribute: `${entry.attribute}.Resource`, kind: 'grant', actions, targets: asList(statement.Resource), namesSageMaker, ...limits });
  }
  return out;
}

function hostInvocations(resource: Resource): EndpointInvocation[] {
  if (!CODE_TYPE_NAMES.has(resource.type)) return [];
  const out: EndpointInvocation[] = [];
  walkKeys([[resource.properties, '']], (_key, child, at) => {
    const text = typeof child === 'string' ? child : child instanceof Unresolved ? child.expression : undefined;
    if (text === undefined) return false;
    for (const match of text.matchAll(RUNTIME_HOST)) out.push({ resource, attribute: at, kind: 'host', actions: [], targets: [match[0]], namesSageMaker: true });
    return true;
  });
  return out;
}

import { judgeLocation, describeLocation } from '../../../analysis/locations';
import { Resource } from '../../../core/graph';
import { Unresolved, Value, isPlainObject } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule, Violation } from '../../rule';

/** Services whose ARNs point at where data is kept or keys live; IAM statements are judged by the Bedrock rules. */
const DATA_SERVICES = new Set(['kms', 'logs', 's3', 'firehose', 'kinesis', 'sqs', 'sns', 'dynamodb', 'secretsmanager', 'es', 'aoss']);
/** A `${…}` placeholder, which the CloudFormation reader may fill with JSON (`${{"Fn::ImportValue": …}}`). */
const PLACEHOLDER = String.raw`\$\{(?:[^{}]|\{[^{}]*\})*\}`;
const ARN = new RegExp(String.raw`arn:(aws[a-z-]*|${PLACEHOLDER}):([a-z0-9-]+):(\*|[a-z0-9-]*|${PLACEHOLDER}):`, 'g');
/** Properties (CloudFormation and Terraform) that name a KMS key or a log destination by ARN. */
const KEY_OR_DESTINATION = /^(KmsKeyId|KMSKeyId|KMSMasterKeyID|KmsKeyArn|kms_key_id|kms_key_arn|kms_master_key_id|DestinationArn|destination_arn|CloudWatchLogsLogGroupArn|cloud_watch_logs_group_arn)$/;

/**
 * AWS resources that point at keys or log destinations by ARN (KMS keys, log
 * groups, streams, buckets) point at ones inside the jurisdiction.
 */
export const referencedArnResidency: ResourceRule = {
  id: 'LCG-RES-003',
  title: 'Keys and log destinations referenced by ARN are in an allowed region',
  category: 'residency',
  severity: 'error',
  rationale:
    'A KMS key or log destination in another region moves data (or the key that protects it) out of the jurisdiction even when the stack itself is in an allowed region. A key or destination named by a value known only at deploy time cannot be shown to stay inside.',
  remediation: 'Use a key or destination created in an allowed region, preferably in the same stack.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: ['*'],
  formats: ['cloudformation', 'terraform'],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, { policy, graph }) {
    if (resource.cloud !== 'aws') return undefined;
    // Most resources name no ARN and hold no deploy-time value: found without building anything.
    if (!hasCandidate(resource.properties)) return undefined;
    const violations: Violation[] = [];
    let seen = false;
    visitStrings(resource.properties, '', (text, attribute, value) => {
      if (!text.includes('arn:')) {
        const property = value instanceof Unresolved ? (attribute.split('.').pop()?.replace(/\[\d+\]$/, '') ?? '') : '';
        // A key or destination chosen at deploy time (a parameter, an import, a variable) that names no resource of the app.
        if (value instanceof Unresolved && KEY_OR_DESTINATION.test(property) && !value.references.some((key) => graph.get(key))) {
          seen = true;
          violations.push({
            message: `Cannot verify where ${resource.type} "${resource.id}" keeps its ${describeProperty(property)}: ${attribute} is known only at deploy time.`,
            found: `${attribute} = ${text}`,
            expected: `a key or destination in ${policy.describeResidency('aws')}, defined in the app or named by a literal ARN`,
            fix: 'reference a key or destination defined in the app, or write its ARN with a literal region',
            attribute,
            cannotVerify: true,
          });
        }
        return;
      }
      for (const match of text.matchAll(ARN)) {
        const [, , service, region] = match;
        // Region-less ARNs (S3) carry no location; IAM statements belong to the Bedrock rules; the stack's own
        // region (`\${AWS::Region}`) is judged once, by LCG-RES-002.
        if (!DATA_SERVICES.has(service) || region === '' || region === '${AWS::Region}' || attribute.includes('Statement')) continue;
        seen = true;
        if (region === '*') {
          violations.push(violation(resource, attribute, text, 'matches every region', `an ARN in ${policy.describeResidency('aws')}`));
          continue;
        }
        const verdict = judgeLocation(policy, 'aws', region.startsWith('${') ? new Unresolved(region, 'deploy-time region') : region);
        if (verdict.status === 'denied') violations.push(violation(resource, attribute, text, `is in ${describeLocation(verdict.info)}`, verdict.expected));
        if (verdict.status === 'unverifiable') {
          violations.push({
            message: `Cannot verify where ${resource.type} "${resource.id}" keeps ${serviceName(text)}: its region cannot be verified (${verdict.reason}).`,
            found: `${attribute} = ${text}`,
            expected: verdict.expected,
            fix: `reference ${serviceName(text)} created in ${verdict.expected}, or write its ARN with a literal region`,
            attribute,
            cannotVerify: true,
          });
        }
      }
    });
    return seen ? violations : undefined;
  },
};

function violation(resource: Resource, attribute: string, arn: string, problem: string, expected: string): Violation {
  return {
    message: `${resource.type} "${resource.id}" refers to ${serviceName(arn)} that ${problem}.`,
    found: `${attribute} = ${arn}`,
    expected,
    fix: `reference ${serviceName(arn)} created in ${expected}`,
    attribute,
  };
}

/** "a KMS key", "a log group", "an S3 bucket", "a Firehose resource". */
function serviceName(arn: string): string {
  const service = /arn:[^:]*:([a-z0-9-]+):/.exec(arn)?.[1] ?? '';
  const known: { readonly [service: string]: string } = { kms: 'a KMS key', logs: 'a log group', s3: 'an S3 bucket', firehose: 'a Firehose delivery stream', kinesis: 'a Kinesis stream', sqs: 'an SQS queue', sns: 'an SNS topic' };
  return known[service] ?? `${/^[aeiou]/.test(service) ? 'an' : 'a'} ${service} resource`;
}

function describeProperty(property: string): string {
  return /kms|key/i.test(property) ? 'KMS key' : 'log destination';
}

/** Whether a value holds a string that mentions an ARN, or a value known only at deploy time: what {@link visitStrings} visits. */
function hasCandidate(value: Value): boolean {
  if (typeof value === 'string') return value.includes('arn:');
  if (typeof value !== 'object' || value === null) return false;
  if (value instanceof Unresolved) return true;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) if (hasCandidate(value[index])) return true;
    return false;
  }
  if (!isPlainObject(value)) return false;
  for (const key in value) if (hasCandidate(value[key])) return true;
  return false;
}

/** Calls `visit` with every string and unresolved expression, its attribute path (`A.B[0].C`) and the value itself. */
function visitStrings(value: Value, attribute: string, visit: (text: string, attribute: string, value: Value) => void): void {
  const path: (string | number)[] = attribute ? [attribute] : [];
  const attributeText = (): string => path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
  const walk = (current: Value): void => {
    const text = typeof current === 'string' ? current : current instanceof Unresolved ? current.expression : undefined;
    if (text !== undefined) {
      // Most strings name no ARN and are no deploy-time key: skip them before building the attribute path.
      if (text.includes('arn:') || current instanceof Unresolved) visit(text, attributeText(), current);
    } else if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index++) {
        path.push(index);
        walk(current[index]);
        path.pop();
      }
    } else if (isPlainObject(current)) {
      for (const key in current) {
        path.push(key);
        walk(current[key]);
        path.pop();
      }
    }
  };
  walk(value);
}


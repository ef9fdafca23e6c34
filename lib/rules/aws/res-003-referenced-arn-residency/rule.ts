import { judgeLocation, describeLocation } from '../../../analysis/locations';
import { Resource } from '../../../core/graph';
import { Unresolved, Value, isPlainObject } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { ResourceRule, Violation } from '../../rule';

/** Services whose ARNs point at where data is kept or keys live; IAM statements are judged by the Bedrock rules. */
const DATA_SERVICES = new Set(['kms', 'logs', 's3', 'firehose', 'kinesis', 'sqs', 'sns', 'dynamodb', 'secretsmanager', 'es', 'aoss']);
const ARN = /arn:(aws[a-z-]*|\$\{[^}]*\}):([a-z0-9-]+):(\*|[a-z0-9-]*|\$\{[^}]*\}):/g;

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
    'A KMS key or log destination in another region moves data (or the key that protects it) out of the jurisdiction even when the stack itself is in an allowed region.',
  remediation: 'Use a key or destination created in an allowed region, preferably in the same stack.',
  clauses: [CLAUSES.gdprTransfers, CLAUSES.soc2Boundaries],
  resourceTypes: ['*'],
  formats: ['cloudformation', 'terraform'],
  appliesUnder: (policy) => policy.constrainsResidency,
  check(resource, { policy }) {
    if (resource.cloud !== 'aws') return undefined;
    const violations: Violation[] = [];
    let seen = false;
    visitStrings(resource.properties, '', (text, attribute) => {
      for (const match of text.matchAll(ARN)) {
        const [, , service, region] = match;
        // Region-less ARNs (S3) carry no location; IAM statements belong to the Bedrock rules; the stack's own
        // region (`\${AWS::Region}`) is judged once, by LCG-RES-002.
        if (!DATA_SERVICES.has(service) || region === '' || region === '${AWS::Region}' || attribute.includes('Statement')) continue;
        seen = true;
        const regionValue: Value = region.startsWith('${') ? new Unresolved(region, 'deploy-time region') : region;
        if (region === '*') {
          violations.push(violation(resource, attribute, text, 'matches every region', `an ARN in ${policy.describeResidency('aws')}`));
          continue;
        }
        const verdict = judgeLocation(policy, 'aws', regionValue);
        if (verdict.status === 'denied') violations.push(violation(resource, attribute, text, `is in ${describeLocation(verdict.info)}`, verdict.expected));
        if (verdict.status === 'unverifiable') {
          violations.push({ ...violation(resource, attribute, text, `has a region that cannot be verified (${verdict.reason})`, verdict.expected), cannotVerify: true });
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

function serviceName(arn: string): string {
  const service = arn.split(':')[2];
  return { kms: 'a KMS key', logs: 'a log group', s3: 'an S3 bucket' }[service] ?? `an ${service} resource`;
}

/** Calls `visit` with every string (and unresolved expression) that mentions an ARN, and its attribute path (`A.B[0].C`). */
function visitStrings(value: Value, attribute: string, visit: (text: string, attribute: string) => void): void {
  const path: (string | number)[] = attribute ? [attribute] : [];
  const attributeText = (): string => path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
  const walk = (current: Value): void => {
    const text = typeof current === 'string' ? current : current instanceof Unresolved ? current.expression : undefined;
    if (text !== undefined) {
      // Most strings name no ARN: skip them before building the attribute path or running the pattern.
      if (text.includes('arn:')) visit(text, attributeText());
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => {
        path.push(index);
        walk(item);
        path.pop();
      });
    } else if (isPlainObject(current)) {
      for (const key of Object.keys(current)) {
        path.push(key);
        walk(current[key]);
        path.pop();
      }
    }
  };
  walk(value);
}


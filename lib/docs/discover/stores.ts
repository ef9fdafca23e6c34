/** What the documentation says of a log store: location, retention, encryption at rest and immutability, from the facts layer. */
import { isAccount, accountCustomerManagedKey } from '../../analysis/azure';
import { awsEncryption, describeEncryption } from '../../analysis/encryption';
import { keyArguments } from '../../analysis/google';
import { placementOf } from '../../analysis/locations';
import { bucketCompanions } from '../../analysis/s3';
import type { LogRole } from '../../analysis/log-wiring';
import { CFN, TF_AWS, TF_AZURE, TF_GOOGLE } from '../../analysis/resource-types';
import { describeRetention, describeStoreRetention, storeRetention } from '../../analysis/retention';
import type { Resource } from '../../core/graph';
import { Value, block, describeValue, isPlainObject, isPresent, valueAt } from '../../core/values';
import type { FlowBuilder, NodeDraft } from '../builder';

export function describeStore(builder: FlowBuilder, node: NodeDraft, resource: Resource, roles: ReadonlySet<LogRole> | undefined): void {
  const { context } = builder;
  if (roles) node.details.add(`log role: ${[...roles].sort().join(' and ')}`);
  const placed = placementOf(resource);
  if (placed) node.location = builder.locate(placed.cloud, placed.value);
  const reading = storeRetention(context, resource);
  if (reading) node.retention = describeStoreRetention(reading);
  const encryption = awsEncryption(context, resource);
  if (encryption) node.encryptionAtRest = describeEncryption(encryption);
  const props = resource.properties;
  const related = (type: string): Resource[] => context.graph.referrers(resource.key).filter((referrer) => referrer.type === type);
  switch (resource.type) {
    case CFN.logGroup:
    case TF_AWS.logGroup:
      node.immutability = 'none (log events can be deleted)';
      return;
    case CFN.bucket: {
      const lock = isPlainObject(props.ObjectLockConfiguration) ? block(props.ObjectLockConfiguration.Rule) : undefined;
      const retention = lock ? block(lock.DefaultRetention) : undefined;
      node.immutability = lockText(props.ObjectLockEnabled === true, retention?.Mode, retention?.Days, retention?.Years);
      if (isPlainObject(props.VersioningConfiguration) && props.VersioningConfiguration.Status === 'Enabled') node.details.add('versioning enabled');
      return;
    }
    case TF_AWS.bucket: {
      const [lock] = bucketCompanions(context, resource, TF_AWS.bucketObjectLock);
      const retention = lock ? block(valueAt(lock.properties, 'rule.default_retention')) : undefined;
      node.immutability = lockText(props.object_lock_enabled === true || lock !== undefined, retention?.mode, retention?.days, retention?.years);
      return;
    }
    case TF_AZURE.logAnalyticsWorkspace:
      for (const table of related(TF_AZURE.logAnalyticsWorkspaceTable)) {
        node.details.add(`table ${describeValue(table.properties.name)}: total retention ${days(table.properties.total_retention_in_days, 'as the workspace')}`);
      }
      node.encryptionAtRest = 'Microsoft-managed keys';
      node.immutability = 'none (data can be purged)';
      return;
    case TF_AZURE.storageAccount: {
      const key = block(props.customer_managed_key);
      node.encryptionAtRest = key ? `customer-managed key ${describeValue(key.key_vault_key_id)}` : 'Microsoft-managed keys';
      const immutability = block(props.immutability_policy);
      node.immutability = immutability ? `immutability policy ${describeValue(immutability.state)}, ${days(immutability.period_since_creation_in_days, 'no period')}` : 'none';
      return;
    }
    case TF_GOOGLE.loggingProjectBucket:
    case TF_GOOGLE.bigQueryDataset:
    case TF_GOOGLE.storageBucket: {
      const [key] = keyArguments(resource);
      node.encryptionAtRest = key ? `customer-managed key ${describeValue(key.value)}` : 'Google-managed keys';
      node.immutability = googleImmutability(resource);
      return;
    }
  }
  if (isAccount(resource)) {
    const key = accountCustomerManagedKey(context, resource);
    node.encryptionAtRest = key && 'key' in key ? `customer-managed key ${describeValue(key.key)}` : 'Microsoft-managed keys';
  }
}

function googleImmutability(resource: Resource): string {
  const props = resource.properties;
  if (resource.type === TF_GOOGLE.loggingProjectBucket) {
    return props.locked === true ? 'locked (retention cannot be reduced, bucket cannot be deleted)' : props.locked === undefined || props.locked === false ? 'not locked' : `locked = ${describeValue(props.locked)}`;
  }
  if (resource.type === TF_GOOGLE.storageBucket) {
    const period = valueAt(props, 'retention_policy.retention_period');
    const locked = valueAt(props, 'retention_policy.is_locked') === true;
    return typeof period === 'number' ? `retention policy ${Math.round(period / 86_400)} days${locked ? ', locked' : ''}` : isPresent(period) ? `retention policy ${describeValue(period)}` : 'none';
  }
  return 'none';
}

function lockText(enabled: boolean, mode: Value | undefined, lockDays: Value | undefined, years: Value | undefined): string {
  if (!enabled) return 'none (no Object Lock)';
  if (!isPresent(mode)) return 'Object Lock enabled, no default retention';
  const period = typeof years === 'number' ? `${years} years` : days(lockDays, 'no period');
  return `Object Lock ${describeValue(mode).replace(/"/g, '')}, ${period}`;
}

/** A number of days as people read it, the text for "not set", or the expression it depends on. */
function days(value: Value | undefined, absent: string): string {
  if (typeof value === 'number') return value === 0 ? absent : describeRetention({ days: value });
  if (value === undefined || value === null) return absent;
  return `${describeValue(value)} (unresolved)`;
}

/**
 * Retention readings: how long each kind of log store keeps entries, read
 * from the documents once, for the retention rules (which judge them) and the
 * data-flow documentation (which states them).
 */
import type { Resource } from '../core/graph';
import type { Violation } from '../core/findings';
import { Unresolved, Value, asList, block, describeValue, isPlainObject, valueAt } from '../core/values';
import type { GuardrailPolicy } from '../policy/policy';
import type { AnalysisContext } from './context';
import { memoByKey } from './context';
import type { LogRole } from './log-wiring';
import { resolveResource } from './resolve';
import { bucketCompanions } from './s3';
import { CFN, GOOGLE_LOG_BUCKET_TYPES, TF_AWS, TF_AZURE, TF_GOOGLE } from './resource-types';

/** How long a log store keeps entries: a number of days, forever, or unknown until deploy. */
export type Retention = { readonly days: number } | { readonly never: true } | { readonly unresolved: string };

/**
 * A store's retention: `earliest` is the first day any entry may be deleted
 * (an audit minimum is judged against it), `latest` the longest any entry
 * lives (a content maximum is judged against it). They differ when lifecycle
 * rules cover only part of a store, or old versions outlive current ones.
 */
export interface StoreRetention {
  readonly earliest: Retention;
  readonly latest: Retention;
  /** What sets it, for messages: `RetentionInDays`, `LifecycleConfiguration`, `AzureDiagnostics.total_retention_in_days`. */
  readonly attribute: string;
  /** Where the figure comes from, for reviewers: `lifecycle expiration`, `default`, `archive by …`. */
  readonly source?: string;
}

export const MILLISECONDS_PER_DAY = 86_400_000;

/** The retention values CloudWatch Logs accepts. */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** The retention of a log store, or undefined for a resource that is no store the guardrail can read. Once per run per resource. */
export function storeRetention(context: AnalysisContext, resource: Resource): StoreRetention | undefined {
  return memoByKey(context, 'retention.store', resource, () => readRetention(context, resource));
}

function readRetention(context: AnalysisContext, resource: Resource): StoreRetention | undefined {
  const props = resource.properties;
  switch (resource.type) {
    case CFN.logGroup:
      return same(logGroupDays(props.RetentionInDays), 'RetentionInDays');
    case TF_AWS.logGroup:
      return same(logGroupDays(props.retention_in_days), 'retention_in_days');
    case CFN.bucket:
      return cloudFormationBucket(props);
    case TF_AWS.bucket:
      return terraformBucket(context, resource);
    case TF_AZURE.logAnalyticsWorkspace:
      return workspaceRetention(context, resource);
    case TF_AZURE.storageAccount:
      return storageAccountRetention(context, resource);
    case TF_GOOGLE.bigQueryDataset:
      return datasetRetention(props);
    case TF_GOOGLE.storageBucket:
      return googleStorageBucket(props);
  }
  if (GOOGLE_LOG_BUCKET_TYPES.includes(resource.type)) return same(daysOrDefault(props.retention_days, 30), 'retention_days', isSet(props.retention_days) ? undefined : 'default');
  return undefined;
}

function isSet(value: Value | undefined): boolean {
  return value !== undefined && value !== null;
}

function same(retention: Retention, attribute: string, source?: string): StoreRetention {
  return { earliest: retention, latest: retention, attribute, ...(source ? { source } : {}) };
}

function unresolved(value: Value | undefined): Retention {
  return { unresolved: value instanceof Unresolved ? value.expression : describeValue(value) };
}

/** CloudWatch Logs: no retention (or 0) never expires. */
function logGroupDays(raw: Value | undefined): Retention {
  if (raw === undefined || raw === null || raw === 0) return { never: true };
  if (typeof raw === 'number') return { days: raw };
  if (typeof raw === 'string' && /^\d+$/.test(raw)) return Number(raw) === 0 ? { never: true } : { days: Number(raw) };
  return unresolved(raw);
}

function daysOrDefault(raw: Value | undefined, defaultDays: number): Retention {
  if (raw === undefined || raw === null) return { days: defaultDays };
  if (typeof raw === 'number') return { days: raw };
  return unresolved(raw);
}

/** One lifecycle rule as both document formats express it. */
interface LifecycleRule {
  readonly enabled: boolean | Unresolved;
  readonly days: Value | undefined;
  readonly noncurrentDays: Value | undefined;
  /** An expiration on a calendar date rather than at an age, if the rule has one. */
  readonly date?: Value;
  /** The rule selects only some objects (prefix, tags, object size). */
  readonly scoped: boolean;
}

/** A lifecycle number as written: a number, or a numeric string (CloudFormation accepts both; YAML often quotes them). */
function lifecycleNumber(value: Value | undefined): number | undefined | Unresolved {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return value instanceof Unresolved ? value : new Unresolved(describeValue(value), 'not a number of days');
}

/**
 * `earliest`: the shortest expiration of any enabled rule (some objects may go
 * that early). `latest`: how long a whole-bucket rule lets any object live;
 * versioned buckets keep old versions until their noncurrent expiration.
 */
function bucketLifecycle(rules: readonly LifecycleRule[], versioned: Versioning, attribute: string): StoreRetention {
  const reading = bucketLifecycleDays(rules, versioned, attribute);
  if ('unresolved' in reading.earliest || 'unresolved' in reading.latest) return reading;
  return { ...reading, source: 'never' in reading.earliest ? 'no lifecycle expiration' : 'lifecycle expiration' };
}

/** Whether a bucket keeps old versions: `unknown` when the status is known only at deploy or plan time. */
type Versioning = boolean | Unresolved;

function bucketLifecycleDays(rules: readonly LifecycleRule[], versioned: Versioning, attribute: string): StoreRetention {
  let shortest: number | undefined;
  let wholeBucket: number | undefined;
  let versionsUnknown = false;
  for (const rule of rules) {
    if (rule.enabled instanceof Unresolved) return same({ unresolved: 'lifecycle rule set at deploy time' }, attribute);
    if (!rule.enabled) continue;
    const days = lifecycleNumber(rule.days);
    const noncurrentDays = lifecycleNumber(rule.noncurrentDays);
    if (days instanceof Unresolved || noncurrentDays instanceof Unresolved) return same({ unresolved: `lifecycle expiration ${days instanceof Unresolved ? days.expression : (noncurrentDays as Unresolved).expression}` }, attribute);
    // Objects deleted on a calendar date are kept for as long as is left until it: not an age the rules can compare.
    // (A dated rule for part of the bucket leaves the rest to the other rules.)
    if (rule.date !== undefined && rule.date !== null && rule.date !== '' && !rule.scoped) return same({ unresolved: `lifecycle expiration on a date (${describeValue(rule.date)})` }, attribute);
    // 0 is no expiration: the AWS provider plans an unset `days` as 0, and S3 takes no expiration under one day.
    if (days === undefined || days === 0) continue;
    let lifetime = days;
    if (versioned !== false) {
      if (typeof noncurrentDays === 'number') lifetime = days + noncurrentDays;
      else if (versioned === true) lifetime = Number.POSITIVE_INFINITY;
      // With versioning unknown, old versions may live forever: only the whole-bucket lifetime is in doubt.
      else if (!rule.scoped) versionsUnknown = true;
    }
    shortest = Math.min(shortest ?? Number.POSITIVE_INFINITY, days);
    if (!rule.scoped) wholeBucket = Math.min(wholeBucket ?? Number.POSITIVE_INFINITY, lifetime);
  }
  const latest: Retention =
    versionsUnknown && versioned instanceof Unresolved
      ? { unresolved: `versioning ${versioned.expression} (old versions never expire if it is on)` }
      : wholeBucket === undefined || wholeBucket === Number.POSITIVE_INFINITY
        ? { never: true }
        : { days: wholeBucket };
  return { earliest: shortest === undefined ? { never: true } : { days: shortest }, latest, attribute };
}

function cloudFormationBucket(props: { readonly [key: string]: Value }): StoreRetention {
  const lifecycle = props.LifecycleConfiguration;
  if (lifecycle instanceof Unresolved) return same({ unresolved: lifecycle.expression }, 'LifecycleConfiguration');
  const rules = isPlainObject(lifecycle) ? asList(lifecycle.Rules) : [];
  const status = props.VersioningConfiguration instanceof Unresolved ? props.VersioningConfiguration : isPlainObject(props.VersioningConfiguration) ? props.VersioningConfiguration.Status : undefined;
  const versioned: Versioning = status instanceof Unresolved ? status : status === 'Enabled';
  return bucketLifecycle(
    rules.filter(isPlainObject).map((rule) => ({
      enabled: rule.Status instanceof Unresolved ? rule.Status : rule.Status === 'Enabled',
      days: rule.ExpirationInDays,
      noncurrentDays: isPlainObject(rule.NoncurrentVersionExpiration) ? rule.NoncurrentVersionExpiration.NoncurrentDays : rule.NoncurrentVersionExpirationInDays,
      date: rule.ExpirationDate,
      // A prefix, tags or an object size limit each leave the other objects of the bucket to other rules.
      scoped:
        selectsPart(rule.Filter, rule.Prefix) ||
        (rule.TagFilters !== undefined && !(Array.isArray(rule.TagFilters) && rule.TagFilters.length === 0)) ||
        rule.ObjectSizeGreaterThan !== undefined ||
        rule.ObjectSizeLessThan !== undefined,
    })),
    versioned,
    'LifecycleConfiguration',
  );
}

/** Whether a Terraform lifecycle `filter` (or `prefix`) selects only part of the bucket: an empty block or prefix selects all of it. */
function selectsPart(filter: Value | undefined, prefix: Value | undefined): boolean {
  if (prefix !== undefined && prefix !== null && prefix !== '') return true;
  if (filter === undefined || filter === null) return false;
  const entries = Array.isArray(filter) ? filter : [filter];
  return entries.some((entry) => !isPlainObject(entry) || Object.entries(entry).some(([, value]) => value !== null && value !== '' && !(Array.isArray(value) && value.length === 0) && !(isPlainObject(value) && Object.keys(value).length === 0)));
}

/**
 * Terraform splits a bucket's lifecycle and versioning into resources that
 * name the bucket (by reference or by its literal name); the deprecated
 * inline `lifecycle_rule` and `versioning` blocks of aws_s3_bucket count too.
 */
function terraformBucket(context: AnalysisContext, bucket: Resource): StoreRetention {
  const related = (type: string): readonly Resource[] => bucketCompanions(context, bucket, type);
  const attribute = `${TF_AWS.bucketLifecycle} rule`;
  const rules: LifecycleRule[] = [];
  for (const configuration of related(TF_AWS.bucketLifecycle)) {
    const raw = configuration.properties.rule;
    if (raw instanceof Unresolved) return same({ unresolved: raw.expression }, attribute);
    for (const rule of asList(raw)) {
      if (rule instanceof Unresolved) return same({ unresolved: rule.expression }, attribute);
      if (!isPlainObject(rule)) continue;
      rules.push({
        enabled: rule.status instanceof Unresolved ? rule.status : rule.status === 'Enabled',
        days: valueAt(rule, 'expiration.days'),
        noncurrentDays: valueAt(rule, 'noncurrent_version_expiration.noncurrent_days'),
        date: valueAt(rule, 'expiration.date'),
        scoped: selectsPart(rule.filter, rule.prefix),
      });
    }
  }
  const inline = bucket.properties.lifecycle_rule;
  if (inline instanceof Unresolved) return same({ unresolved: inline.expression }, 'lifecycle_rule');
  for (const rule of asList(inline)) {
    if (rule instanceof Unresolved) return same({ unresolved: rule.expression }, 'lifecycle_rule');
    if (!isPlainObject(rule)) continue;
    rules.push({
      enabled: rule.enabled instanceof Unresolved ? rule.enabled : rule.enabled === true || rule.enabled === 'true',
      days: valueAt(rule, 'expiration.days'),
      noncurrentDays: valueAt(rule, 'noncurrent_version_expiration.days'),
      date: valueAt(rule, 'expiration.date'),
      scoped: selectsPart(undefined, rule.prefix) || (isPlainObject(rule.tags) && Object.keys(rule.tags).length > 0),
    });
  }
  const statuses = [...related(TF_AWS.bucketVersioning).map((resource) => valueAt(resource.properties, 'versioning_configuration.status')), valueAt(bucket.properties, 'versioning.enabled')];
  const unknown = statuses.find((status): status is Unresolved => status instanceof Unresolved);
  const versioned: Versioning = statuses.some((status) => status === 'Enabled' || status === true) ? true : (unknown ?? false);
  return bucketLifecycle(rules, versioned, attribute);
}

/** Interactive retention Log Analytics accepts for a workspace. */
export const WORKSPACE_MAX_DAYS = 730;

/**
 * How long a Log Analytics workspace keeps the diagnostics of Azure OpenAI
 * (the AzureDiagnostics table): the table's own total retention, else its
 * interactive retention, else the workspace retention (default 30 days) —
 * a table setting replaces the workspace's, shorter or longer. An export of
 * the table to a storage account whose immutability policy holds every blob
 * for a number of days keeps the logs at least that long.
 */
function workspaceRetention(context: AnalysisContext, workspace: Resource): StoreRetention {
  const raw = workspace.properties.retention_in_days;
  let reading: StoreRetention = same(daysOrDefault(raw, 30), 'retention_in_days', isSet(raw) ? undefined : 'default');
  const referrers = context.graph.referrers(workspace.key);
  const table = referrers.find((referrer) => referrer.type === TF_AZURE.logAnalyticsWorkspaceTable && (referrer.properties.name === 'AzureDiagnostics' || referrer.properties.name instanceof Unresolved));
  if (table) {
    const name = table.properties.name;
    for (const attribute of ['total_retention_in_days', 'retention_in_days']) {
      const value = table.properties[attribute];
      if (!isSet(value)) continue;
      reading = name instanceof Unresolved ? same(unresolved(name), `${table.id}.name`) : same(daysOrDefault(value, 30), `${table.id}.${attribute}`, `table ${table.id}`);
      break;
    }
  }
  for (const referrer of referrers) {
    if (referrer.type !== TF_AZURE.logAnalyticsDataExportRule) continue;
    const archive = exportArchive(context, workspace, referrer);
    if (archive && 'days' in reading.earliest && archive.days > reading.earliest.days) reading = same({ days: archive.days }, archive.attribute, `archive by ${referrer.id}`);
  }
  return reading;
}

/** An enabled export of AzureDiagnostics to a storage account whose immutability policy holds blobs for a number of days. */
function exportArchive(context: AnalysisContext, workspace: Resource, exportRule: Resource): { days: number; attribute: string } | undefined {
  const { graph } = context;
  if (exportRule.properties.enabled === false || graph.target(exportRule.properties.workspace_resource_id)?.key !== workspace.key) return undefined;
  const tables = exportRule.properties.table_names;
  if (!Array.isArray(tables) || !tables.some((table) => typeof table === 'string' && table.toLowerCase() === 'azurediagnostics')) return undefined;
  const storage = graph.target(exportRule.properties.destination_resource_id);
  if (storage?.type !== TF_AZURE.storageAccount) return undefined;
  const immutability = block(storage.properties.immutability_policy);
  const days = immutability?.period_since_creation_in_days;
  const state = immutability?.state;
  if (typeof days !== 'number' || (state !== 'Unlocked' && state !== 'Locked')) return undefined;
  return { days, attribute: `${storage.id}.immutability_policy.period_since_creation_in_days (archive by ${exportRule.id})` };
}

/** Lifecycle actions that delete a base blob after a number of days. */
const DELETE_AFTER = ['delete_after_days_since_creation_greater_than', 'delete_after_days_since_modification_greater_than', 'delete_after_days_since_last_access_time_greater_than'];

/**
 * `earliest`: the first day any blob may be deleted (the shortest delete
 * action, held back by the immutability period). `latest`: how long a rule
 * covering the whole account lets blobs (and, when versioning is on, their
 * old versions) live.
 */
function storageAccountRetention(context: AnalysisContext, account: Resource): StoreRetention {
  const { graph } = context;
  const attribute = `${TF_AZURE.storageManagementPolicy} delete actions`;
  const immutability = block(account.properties.immutability_policy);
  let protectedDays = 0;
  if (immutability && (immutability.state === 'Unlocked' || immutability.state === 'Locked')) {
    const period = immutability.period_since_creation_in_days;
    if (period instanceof Unresolved) return same({ unresolved: period.expression }, attribute);
    if (typeof period === 'number') protectedDays = period;
  }
  const versioned = block(account.properties.blob_properties)?.versioning_enabled === true;
  let shortest: number | undefined;
  let wholeAccount: number | undefined;
  const policies = graph.referrers(account.key).filter((other) => other.type === TF_AZURE.storageManagementPolicy && graph.target(other.properties.storage_account_id)?.key === account.key);
  // A management policy whose account is known only at plan time may be this account's.
  const unplaced = context.memo('retention.unplaced-management-policy', () =>
    graph.ofType(TF_AZURE.storageManagementPolicy).find((other) => other.properties.storage_account_id instanceof Unresolved && !resolveResource(context, other.properties.storage_account_id, [TF_AZURE.storageAccount])),
  );
  if (unplaced) return same({ unresolved: `${unplaced.id}.storage_account_id = ${describeValue(unplaced.properties.storage_account_id)}` }, attribute);
  for (const policy of policies) {
    const rules = policy.properties.rule;
    if (rules instanceof Unresolved) return same({ unresolved: rules.expression }, attribute);
    for (const rule of asList(rules)) {
      if (rule instanceof Unresolved) return same({ unresolved: rule.expression }, attribute);
      if (!isPlainObject(rule) || rule.enabled === false) continue;
      if (rule.enabled instanceof Unresolved) return same({ unresolved: rule.enabled.expression }, attribute);
      const actions = block(rule.actions);
      const days = deleteDays(block(actions?.base_blob));
      if (days instanceof Unresolved) return same({ unresolved: days.expression }, attribute);
      if (days === undefined) continue;
      shortest = Math.min(shortest ?? Number.POSITIVE_INFINITY, days);
      const prefixes = block(rule.filters)?.prefix_match;
      if (Array.isArray(prefixes) && prefixes.length > 0) continue;
      const versions = block(actions?.version)?.delete_after_days_since_creation;
      const lifetime = !versioned ? days : typeof versions === 'number' ? days + versions : Number.POSITIVE_INFINITY;
      wholeAccount = Math.min(wholeAccount ?? Number.POSITIVE_INFINITY, lifetime);
    }
  }
  return {
    earliest: shortest === undefined ? { never: true } : { days: Math.max(shortest, protectedDays) },
    latest: wholeAccount === undefined || wholeAccount === Number.POSITIVE_INFINITY ? { never: true } : { days: Math.max(wholeAccount, protectedDays) },
    attribute,
    source: policies.length === 0 ? 'no lifecycle management policy' : 'lifecycle management policy',
  };
}

/** The shortest delete action of a base_blob block, `Unresolved` when one is computed, undefined when none deletes. */
function deleteDays(baseBlob: { [key: string]: Value } | undefined): number | Unresolved | undefined {
  if (!baseBlob) return undefined;
  let days: number | undefined;
  for (const key of DELETE_AFTER) {
    const value = baseBlob[key];
    if (value instanceof Unresolved) return value;
    if (typeof value === 'number') days = Math.min(days ?? Number.POSITIVE_INFINITY, value);
  }
  return days;
}

/** The shorter of a dataset's default expirations: either one removes the rows after that many days. */
function datasetRetention(props: { readonly [key: string]: Value }): StoreRetention {
  let best: StoreRetention | undefined;
  for (const attribute of ['default_partition_expiration_ms', 'default_table_expiration_ms']) {
    const value = props[attribute];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number') return same(unresolved(value), attribute);
    const days = value / MILLISECONDS_PER_DAY;
    if (!best || ('days' in best.earliest && days < best.earliest.days)) best = same({ days }, attribute, attribute.replace(/_ms$/, '').replace(/_/g, ' '));
  }
  return best ?? same({ never: true }, 'default_partition_expiration_ms', 'no default table or partition expiration');
}

/** Conditions of a Cloud Storage lifecycle rule that select objects by name or storage class, not by age. */
const GCS_SCOPING_CONDITIONS = ['matches_prefix', 'matches_suffix', 'matches_storage_class'];
/** Conditions that delete live objects at a date or by custom time, not at an age since creation. */
const GCS_DATED_CONDITIONS = ['created_before', 'custom_time_before', 'days_since_custom_time'];
/** Conditions that select only noncurrent (archived) versions. */
const GCS_NONCURRENT_CONDITIONS = ['num_newer_versions', 'days_since_noncurrent_time', 'noncurrent_time_before'];

/** Whether a lifecycle condition is set: not absent, empty, an empty list or the 0 a plan writes for an unset number. */
function conditionSet(condition: { readonly [key: string]: Value }, key: string): boolean {
  const value = condition[key];
  return value !== undefined && value !== null && value !== '' && value !== 0 && !(Array.isArray(value) && value.length === 0);
}

/**
 * A Cloud Storage bucket: its `Delete` lifecycle rules and its retention
 * policy. `earliest` is the youngest age at which a `Delete` rule removes live
 * objects, scoped rules (prefix, suffix, storage class) included; `latest` is
 * how long a rule on the whole bucket lets objects live — and, when versioning
 * is on, their noncurrent versions, which a rule for live objects only
 * (`with_state = "LIVE"`) leaves behind. A retention policy holds every object
 * for its period: neither end is shorter. A rule that deletes the whole bucket
 * at a date or by custom time cannot be read as an age.
 */
function googleStorageBucket(props: { readonly [key: string]: Value }): StoreRetention {
  const attribute = 'lifecycle_rule';
  const rules = props.lifecycle_rule;
  if (rules instanceof Unresolved) return same({ unresolved: rules.expression }, attribute);
  const versioning = valueAt(props, 'versioning.enabled');
  if (versioning instanceof Unresolved) return same({ unresolved: versioning.expression }, 'versioning.enabled');
  const versioned = versioning === true || versioning === 'true';
  let shortest: number | undefined;
  let liveLifetime: number | undefined;
  let archivedAge: number | undefined;
  let noncurrentDays: number | undefined;
  for (const rule of asList(rules)) {
    if (rule instanceof Unresolved) return same({ unresolved: rule.expression }, attribute);
    if (!isPlainObject(rule)) continue;
    const action = valueAt(rule, 'action.type');
    if (action instanceof Unresolved) return same({ unresolved: action.expression }, `${attribute}.action.type`);
    if (action !== 'Delete') continue;
    const rawCondition = rule.condition;
    if (rawCondition instanceof Unresolved) return same({ unresolved: rawCondition.expression }, `${attribute}.condition`);
    const condition = block(rawCondition) ?? {};
    const computed = Object.values(condition).find((value): value is Unresolved => value instanceof Unresolved);
    if (computed) return same({ unresolved: computed.expression }, `${attribute}.condition`);
    const written = lifecycleNumber(condition.age);
    if (written instanceof Unresolved) return same({ unresolved: written.expression }, `${attribute}.condition.age`);
    const state = typeof condition.with_state === 'string' && condition.with_state !== '' ? condition.with_state.toUpperCase() : 'ANY';
    const scoped = GCS_SCOPING_CONDITIONS.some((key) => conditionSet(condition, key));
    const dated = GCS_DATED_CONDITIONS.filter((key) => conditionSet(condition, key));
    // Age 0 (what a plan writes for an unset age) selects every object: beside a date it adds nothing, and it is not sent at all without send_age_if_zero.
    const age = written === 0 && (dated.length > 0 || condition.send_age_if_zero === false) ? undefined : written;
    const noncurrentOnly = state === 'ARCHIVED' || GCS_NONCURRENT_CONDITIONS.some((key) => conditionSet(condition, key));
    if (noncurrentOnly) {
      // Noncurrent versions go at an age since creation, or some days after they stopped being current.
      if (scoped || dated.length > 0) continue;
      const sinceNoncurrent = lifecycleNumber(condition.days_since_noncurrent_time);
      if (sinceNoncurrent instanceof Unresolved) return same({ unresolved: sinceNoncurrent.expression }, `${attribute}.condition.days_since_noncurrent_time`);
      if (conditionSet(condition, 'num_newer_versions') || conditionSet(condition, 'noncurrent_time_before')) continue;
      if (typeof sinceNoncurrent === 'number' && sinceNoncurrent > 0) noncurrentDays = Math.min(noncurrentDays ?? Number.POSITIVE_INFINITY, sinceNoncurrent);
      else if (typeof age === 'number') archivedAge = Math.min(archivedAge ?? Number.POSITIVE_INFINITY, age);
      continue;
    }
    // Deleting at a date, or by a custom time any writer may set, is no age the rules can compare.
    if (dated.length > 0 && age === undefined) {
      if (scoped) continue;
      return same({ unresolved: `lifecycle deletion by ${dated.join(', ')} (${dated.map((key) => describeValue(condition[key])).join(', ')})` }, `${attribute}.condition`);
    }
    // No age (or age 0, which the provider sends by default) deletes what the rule selects within a day.
    const days = age ?? 0;
    shortest = Math.min(shortest ?? Number.POSITIVE_INFINITY, days);
    if (scoped || dated.length > 0) continue;
    liveLifetime = Math.min(liveLifetime ?? Number.POSITIVE_INFINITY, days);
    // A rule for live and archived objects alike also removes the versions its deletions leave.
    if (state === 'ANY') archivedAge = Math.min(archivedAge ?? Number.POSITIVE_INFINITY, days);
  }
  let latest: number | undefined = liveLifetime;
  if (versioned && liveLifetime !== undefined) {
    const versionLifetime = Math.min(archivedAge ?? Number.POSITIVE_INFINITY, noncurrentDays !== undefined ? liveLifetime + noncurrentDays : Number.POSITIVE_INFINITY);
    latest = Math.max(liveLifetime, versionLifetime);
  }
  // Objects under a retention policy cannot be deleted before its period ends.
  const period = valueAt(props, 'retention_policy.retention_period');
  const periodSeconds = typeof period === 'string' && /^\s*\d+\s*$/.test(period) ? Number(period) : period;
  if (periodSeconds instanceof Unresolved) return same({ unresolved: periodSeconds.expression }, 'retention_policy.retention_period');
  const heldDays = typeof periodSeconds === 'number' && periodSeconds > 0 ? periodSeconds / 86_400 : 0;
  const held = (days: number | undefined): Retention => (days === undefined || days === Number.POSITIVE_INFINITY ? { never: true } : { days: Math.max(days, heldDays) });
  const source = shortest === undefined ? 'no delete lifecycle rule' : heldDays > shortest ? 'delete lifecycle rule, held by the retention policy' : 'delete lifecycle rule';
  const heldLonger = heldDays > 0 && (shortest === undefined || heldDays > shortest);
  return { earliest: held(shortest), latest: held(latest), attribute: heldLonger && shortest !== undefined ? 'retention_policy.retention_period' : attribute, source };
}

/** A retention as people read it: `365 days`, `never expires`, or the expression it depends on. */
export function describeRetention(retention: Retention): string {
  if ('days' in retention) return `${Math.round(retention.days * 10) / 10} days`;
  if ('never' in retention) return 'never expires';
  return `${retention.unresolved} (unresolved)`;
}

/** A store's retention as people read it, both ends when they differ. */
export function describeStoreRetention(reading: StoreRetention): string {
  const earliest = describeRetention(reading.earliest);
  const latest = describeRetention(reading.latest);
  const text = earliest === latest ? earliest : `${earliest} for some entries (a rule for part of the store), ${latest} for the whole store`;
  return reading.source ? `${text} (${reading.source})` : text;
}

/**
 * Judges a log store's retention against the policy: audit stores keep at
 * least the minimum (judged on the earliest deletion); content stores
 * (prompts and responses) keep at most the maximum (judged on the latest).
 * An unresolved retention fails both checks closed.
 */
export function retentionViolations(resource: Resource, roles: ReadonlySet<LogRole>, reading: StoreRetention, policy: GuardrailPolicy, fix: (days: number) => string): Violation[] {
  const violations: Violation[] = [];
  const { attribute } = reading;
  const minimum = policy.minAuditLogRetentionDays;
  const maximum = policy.maxContentLogRetentionDays;
  const auditRule = roles.has('audit') && minimum > 0;
  const contentRule = roles.has('content') && maximum !== undefined;
  const computed = 'unresolved' in reading.earliest ? reading.earliest : 'unresolved' in reading.latest ? reading.latest : undefined;
  if (computed) {
    if (auditRule || contentRule) {
      const expected = [auditRule ? `at least ${minimum} days` : '', contentRule ? `at most ${maximum} days` : ''].filter(Boolean).join(' and ');
      violations.push({
        message: `Cannot verify the retention of ${[...roles].sort().join(' and ')} log store ${resource.type} "${resource.id}": it is known only at ${resource.stack.format === 'terraform' ? 'plan' : 'deploy'} time.`,
        found: `${attribute} = ${describeRetention(computed)}`,
        expected,
        fix: `set ${attribute} to a literal value (${expected})`,
        attribute,
        cannotVerify: true,
      });
    }
    return violations;
  }
  if (auditRule && 'days' in reading.earliest && reading.earliest.days < minimum) {
    violations.push({
      message: `Audit log store ${resource.type} "${resource.id}" keeps logs for less than the policy minimum (${policy.minAuditLogRetentionBasis}).`,
      found: `${attribute} = ${describeRetention(reading.earliest)}`,
      expected: `at least ${minimum} days`,
      fix: fix(minimum),
      attribute,
    });
  }
  if (contentRule && ('never' in reading.latest || ('days' in reading.latest && reading.latest.days > maximum))) {
    violations.push({
      message: `Log store ${resource.type} "${resource.id}" holds prompt/response content longer than the policy maximum (GDPR Art. 5(1)(e) storage limitation).`,
      found: `${attribute} = ${describeRetention(reading.latest)}`,
      expected: `at most ${maximum} days`,
      fix: fix(Math.max(Math.min(maximum, Math.max(minimum, 1)), 1)),
      attribute,
    });
  }
  return violations;
}

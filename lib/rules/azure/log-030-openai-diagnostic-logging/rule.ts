import type { Resource, ResourceGraph } from '../../../core/graph';
import { placementOf } from '../../../analysis/locations';
import { block } from '../../../analysis/log-wiring';
import { describeLocation, judgeLocation } from '../../../analysis/residency';
import { Reference, Unresolved, Value, describeValue, isPlainObject } from '../../../core/values';
import type { GuardrailPolicy } from '../../../policy/policy';
import { CLAUSES } from '../../../policy/frameworks';
import { COGNITIVE_ACCOUNT, DIAGNOSTIC_SETTING, hostsOpenAiModels } from '../../../analysis/azure';
import { COMPLIANT, ResourceRule, RuleContext } from '../../rule';

/** Log categories an audit trail of Azure OpenAI calls needs: who called (Audit) and every request (RequestResponse). */
const REQUIRED_CATEGORIES = ['Audit', 'RequestResponse'];
/** Category groups that include the required categories: `allLogs` includes both, `audit` only Audit. */
const CATEGORY_GROUPS: { readonly [group: string]: readonly string[] } = { alllogs: REQUIRED_CATEGORIES, audit: ['Audit'] };
/** Diagnostic-setting arguments that name where the logs go. */
const DESTINATIONS = ['log_analytics_workspace_id', 'storage_account_id', 'eventhub_authorization_rule_id', 'partner_solution_id'];

/**
 * Every Azure OpenAI (or AI Services) account has a diagnostic setting that
 * sends at least `Audit` and `RequestResponse` (or the `allLogs` group) to a
 * destination inside the jurisdiction.
 */
export const azureOpenAiDiagnosticLogging: ResourceRule = {
  id: 'LCG-LOG-030',
  title: 'Azure OpenAI accounts send Audit and RequestResponse logs to an in-jurisdiction destination',
  category: 'logging',
  severity: 'error',
  rationale:
    'Azure OpenAI keeps no audit trail of model calls unless a diagnostic setting routes its logs somewhere: without Audit (who used keys and tokens) and RequestResponse (every call, with caller, model and status) there is no evidence of who used the model and when. Checkov has no check for it. Logs sent to a destination outside the jurisdiction are a transfer of their own.',
  remediation:
    'Add an azurerm_monitor_diagnostic_setting with target_resource_id = the account id, enabled_log blocks for Audit and RequestResponse (plus Trace and AzureOpenAIRequestUsage, or category_group "allLogs"), and log_analytics_workspace_id pointing to a workspace in the jurisdiction.',
  clauses: [CLAUSES.hipaaAuditControls, CLAUSES.soc2Monitoring, CLAUSES.aiActRecordKeeping, CLAUSES.gdprAccountability],
  resourceTypes: [COGNITIVE_ACCOUNT],
  check(resource, context) {
    if (!hostsOpenAiModels(resource)) return undefined;
    const { graph, policy } = context;
    const settings = settingsTargeting(resource, context);
    const expected = `a diagnostic setting with ${REQUIRED_CATEGORIES.join(' and ')} (or category group allLogs) sent to a destination in ${destinationText(policy)}`;
    if (settings.length === 0) {
      return [
        {
          message: `No diagnostic setting sends the logs of ${resource.id} anywhere, so calls to its models leave no audit trail.`,
          found: `no ${DIAGNOSTIC_SETTING} with target_resource_id = ${resource.id}.id`,
          expected,
          fix: `add a ${DIAGNOSTIC_SETTING} with target_resource_id = ${resource.id}.id, enabled_log for ${REQUIRED_CATEGORIES.join(' and ')}, and log_analytics_workspace_id = an in-jurisdiction workspace`,
        },
      ];
    }

    const covered = new Set<string>();
    const problems: string[] = [];
    for (const { setting, targetProblem } of settings) {
      if (targetProblem) {
        problems.push(`${setting.id}: ${targetProblem}`);
        continue;
      }
      const destinationProblem = destinationProblemOf(setting, graph, policy);
      const categories = enabledCategories(setting);
      problems.push(...categories.problems.map((problem) => `${setting.id}: ${problem}`));
      if (destinationProblem) {
        problems.push(`${setting.id}: ${destinationProblem}`);
        continue;
      }
      for (const category of categories.enabled) covered.add(category);
    }
    const missing = REQUIRED_CATEGORIES.filter((category) => !covered.has(category.toLowerCase()));
    if (missing.length === 0 && problems.length === 0) return COMPLIANT;
    if (missing.length === 0) {
      return problems.map((problem) => ({
        message: `A diagnostic setting of ${resource.id} cannot be shown to keep its logs in the jurisdiction.`,
        found: problem,
        expected,
        fix: `point every diagnostic setting of ${resource.id} at a destination in ${destinationText(policy)}, as a reference to a resource in this configuration`,
      }));
    }
    return [
      {
        message: `The diagnostic settings of ${resource.id} do not send ${missing.join(' and ')} logs to an in-jurisdiction destination.`,
        found: problems.length > 0 ? problems.join('; ') : `categories sent: ${[...covered].sort().join(', ') || 'none'}`,
        expected,
        fix: `add enabled_log { category = "${missing[0]}" }${missing.length > 1 ? ` and { category = "${missing[1]}" }` : ''} (or category_group = "allLogs") to a diagnostic setting of ${resource.id} whose destination is in ${destinationText(policy)}`,
      },
    ];
  },
};

interface TargetingSetting {
  readonly setting: Resource;
  /** Set when the setting mentions the account but its target cannot be shown to be it. */
  readonly targetProblem?: string;
}

/** Diagnostic settings aimed at the account: by reference, or by a literal resource id ending in its name. */
function settingsTargeting(account: Resource, context: RuleContext): readonly TargetingSetting[] {
  const index = context.memo('azure-diagnostic-setting-targets', () => indexSettingTargets(context.graph));
  const name = account.properties.name;
  const byName = typeof name === 'string' ? (index.byAccountName.get(name.toLowerCase()) ?? []) : [];
  const byKey = index.byAccountKey.get(account.key) ?? [];
  if (byName.length === 0 || byKey.length === 0) return byKey.length > 0 ? byKey.map((entry) => entry.target) : byName.map((entry) => entry.target);
  // Both kinds: in document order, as the settings appear.
  return [...byKey, ...byName].sort((a, b) => a.order - b.order).map((entry) => entry.target);
}

interface IndexedTarget {
  readonly order: number;
  readonly target: TargetingSetting;
}

/** Literal target ids name the account as the last segment of `/providers/Microsoft.CognitiveServices/accounts/<name>`. */
const ACCOUNT_ID_SUFFIX = /\/providers\/Microsoft\.CognitiveServices\/accounts\/([^/]+)$/i;

/** Every diagnostic setting by the account it targets: one pass over the settings instead of one per account. */
function indexSettingTargets(graph: ResourceGraph): { byAccountKey: Map<string, IndexedTarget[]>; byAccountName: Map<string, IndexedTarget[]> } {
  const byAccountKey = new Map<string, IndexedTarget[]>();
  const byAccountName = new Map<string, IndexedTarget[]>();
  const add = (map: Map<string, IndexedTarget[]>, key: string, entry: IndexedTarget): void => {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    list.push(entry);
  };
  graph.ofType(DIAGNOSTIC_SETTING).forEach((setting, order) => {
    const target = setting.properties.target_resource_id;
    if (target instanceof Reference) {
      add(byAccountKey, target.target, { order, target: { setting } });
    } else if (target instanceof Unresolved) {
      for (const key of new Set(target.references)) add(byAccountKey, key, { order, target: { setting, targetProblem: `target_resource_id ${target.expression} is computed at plan time` } });
    } else if (typeof target === 'string') {
      const match = ACCOUNT_ID_SUFFIX.exec(target);
      if (match) add(byAccountName, match[1].toLowerCase(), { order, target: { setting } });
    }
  });
  return { byAccountKey, byAccountName };
}

/** Categories a setting enables (lower case), and the blocks whose category cannot be read. */
function enabledCategories(setting: Resource): { enabled: Set<string>; problems: string[] } {
  const enabled = new Set<string>();
  const problems: string[] = [];
  const raw = setting.properties.enabled_log;
  const blocks: Value[] = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  for (const entry of blocks) {
    const log = isPlainObject(entry) ? entry : block(entry);
    if (!log) {
      problems.push(`enabled_log ${describeValue(entry)} cannot be read`);
      continue;
    }
    const category = log.category;
    const group = log.category_group;
    if (typeof category === 'string') enabled.add(category.toLowerCase());
    else if (typeof group === 'string') for (const included of CATEGORY_GROUPS[group.toLowerCase()] ?? []) enabled.add(included.toLowerCase());
    else problems.push(`enabled_log category ${describeValue(category ?? group)} is known only at deploy time`);
  }
  return { enabled, problems };
}

/** Why a setting's destinations cannot be shown to be inside the jurisdiction, or undefined when they are. */
function destinationProblemOf(setting: Resource, graph: ResourceGraph, policy: GuardrailPolicy): string | undefined {
  const present = DESTINATIONS.filter((attribute) => setting.properties[attribute] !== undefined && setting.properties[attribute] !== null);
  if (present.length === 0) return 'it names no destination';
  if (!policy.constrainsResidency) return undefined;
  for (const attribute of present) {
    const value = setting.properties[attribute];
    const destination = graph.target(value);
    const placement = destination ? placementOf(destination) : undefined;
    if (!destination || !placement) {
      return `${attribute} = ${describeValue(value)} is not a resource of this configuration with a location, so its location cannot be verified`;
    }
    const verdict = judgeLocation(policy, 'azure', placement.value);
    if (verdict.status === 'denied') return `${attribute} points to ${destination.id} in ${describeLocation(verdict.info)}, outside the jurisdiction`;
    if (verdict.status === 'unverifiable') return `${attribute} points to ${destination.id}, whose location cannot be verified (${verdict.reason})`;
  }
  return undefined;
}

/** "EU", "one of westeurope, swedencentral" or "any location". */
function destinationText(policy: GuardrailPolicy): string {
  if (policy.regions.azure) return `one of ${policy.regions.azure.join(', ')}`;
  return policy.jurisdiction ?? 'any location';
}

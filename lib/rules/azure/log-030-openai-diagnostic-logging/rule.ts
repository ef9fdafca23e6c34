import { ACCOUNT_TYPES, diagnosticSettingsOf, hostsOpenAiModels } from '../../../analysis/azure';
import type { AnalysisContext } from '../../../analysis/context';
import { describeLocation, judgeLocation, placementOf } from '../../../analysis/locations';
import { resolveResource } from '../../../analysis/resolve';
import { TF_AZURE } from '../../../analysis/resource-types';
import type { Resource } from '../../../core/graph';
import { Value, block, describeValue, isPlainObject } from '../../../core/values';
import type { GuardrailPolicy } from '../../../policy/policy';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule } from '../../rule';

const DIAGNOSTIC_SETTING = TF_AZURE.diagnosticSetting;

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
  resourceTypes: [...ACCOUNT_TYPES],
  check(resource, context) {
    if (!hostsOpenAiModels(resource)) return undefined;
    const { policy } = context;
    const settings = diagnosticSettingsOf(context, resource);
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
    const problems: Problem[] = [];
    for (const { setting, problem: targetProblem } of settings) {
      if (targetProblem) {
        problems.push({ setting, text: targetProblem, cannotVerify: true });
        continue;
      }
      const destinationProblem = destinationProblemOf(setting, context, policy);
      const categories = enabledCategories(setting);
      problems.push(...categories.problems.map((text) => ({ setting, text, cannotVerify: true })));
      if (destinationProblem) {
        problems.push({ setting, ...destinationProblem });
        continue;
      }
      for (const category of categories.enabled) covered.add(category);
    }
    const missing = REQUIRED_CATEGORIES.filter((category) => !covered.has(category.toLowerCase()));
    if (missing.length === 0 && problems.length === 0) return COMPLIANT;
    if (missing.length === 0) {
      return problems.map((problem) => ({
        message: problem.cannotVerify
          ? `Cannot verify that diagnostic setting ${problem.setting.id} of ${resource.id} keeps its logs in the jurisdiction.`
          : `Diagnostic setting ${problem.setting.id} of ${resource.id} does not keep its logs in the jurisdiction.`,
        found: `${problem.setting.id}: ${problem.text}`,
        expected,
        fix: `point every diagnostic setting of ${resource.id} at a destination in ${destinationText(policy)}, as a reference to a resource in this configuration`,
        ...(problem.cannotVerify ? { cannotVerify: true } : {}),
      }));
    }
    const unknown = problems.some((problem) => problem.cannotVerify);
    return [
      {
        message: unknown
          ? `Cannot verify that the diagnostic settings of ${resource.id} send ${missing.join(' and ')} logs to an in-jurisdiction destination.`
          : `The diagnostic settings of ${resource.id} do not send ${missing.join(' and ')} logs to an in-jurisdiction destination.`,
        found: problems.length > 0 ? problems.map((problem) => `${problem.setting.id}: ${problem.text}`).join('; ') : `categories sent: ${[...covered].sort().join(', ') || 'none'}`,
        expected,
        fix: `add enabled_log { category = "${missing[0]}" }${missing.length > 1 ? ` and { category = "${missing[1]}" }` : ''} (or category_group = "allLogs") to a diagnostic setting of ${resource.id} whose destination is in ${destinationText(policy)}`,
        ...(unknown ? { cannotVerify: true } : {}),
      },
    ];
  },
};

/** Why one diagnostic setting does not count, and whether that is a fact or an unknown. */
interface Problem {
  readonly setting: Resource;
  readonly text: string;
  readonly cannotVerify: boolean;
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
    // A plan writes the argument a block leaves unset as "": `enabled_log { category_group = "allLogs" }` has category "".
    const category = log.category === '' ? undefined : log.category;
    const group = log.category_group === '' ? undefined : log.category_group;
    if (typeof category === 'string') enabled.add(category.toLowerCase());
    else if (typeof group === 'string') for (const included of CATEGORY_GROUPS[group.toLowerCase()] ?? []) enabled.add(included.toLowerCase());
    else problems.push(`enabled_log category ${describeValue(category ?? group)} is known only at plan time`);
  }
  return { enabled, problems };
}

/** Why a setting's destinations cannot be shown to be inside the jurisdiction, or undefined when they are. */
function destinationProblemOf(setting: Resource, context: AnalysisContext, policy: GuardrailPolicy): { text: string; cannotVerify: boolean } | undefined {
  const present = DESTINATIONS.filter((attribute) => setting.properties[attribute] !== undefined && setting.properties[attribute] !== null);
  if (present.length === 0) return { text: 'it names no destination', cannotVerify: false };
  if (!policy.constrainsResidency) return undefined;
  for (const attribute of present) {
    const value = setting.properties[attribute];
    const destination = resolveResource(context, value);
    const placement = destination ? placementOf(destination) : undefined;
    if (!destination || !placement) {
      return { text: `${attribute} = ${describeValue(value)} is not a resource of this configuration with a location, so its location cannot be verified`, cannotVerify: true };
    }
    const verdict = judgeLocation(policy, 'azure', placement.value);
    if (verdict.status === 'denied') return { text: `${attribute} points to ${destination.id} in ${describeLocation(verdict.info)}, outside the jurisdiction`, cannotVerify: false };
    if (verdict.status === 'unverifiable') return { text: `${attribute} points to ${destination.id}, whose location cannot be verified (${verdict.reason})`, cannotVerify: true };
  }
  return undefined;
}

/** "EU", "one of westeurope, swedencentral" or "any location". */
function destinationText(policy: GuardrailPolicy): string {
  if (policy.regions.azure) return `one of ${policy.regions.azure.join(', ')}`;
  return policy.jurisdiction ?? 'any location';
}

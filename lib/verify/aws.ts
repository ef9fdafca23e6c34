/**
 * Live verification on AWS: what is deployed against what the synthesized
 * app declares, for each account and region the app invokes Bedrock in —
 * the invocation-logging configuration (destinations, delivery role, data
 * types), the account data retention mode, and where the inference profiles
 * the app uses really route (GetInferenceProfile). The answers become facts
 * of live rules run by the same engine, so drift is a finding in the usual
 * formats. The Bedrock API is read only; nothing is changed.
 */
import { BedrockClient, GetAccountDataRetentionCommand, GetInferenceProfileCommand, GetModelInvocationLoggingConfigurationCommand, LoggingConfig } from '@aws-sdk/client-bedrock';
import { inferenceProfilesAsOf } from '../catalogs';
import type { ResourceGraph } from '../core/graph';
import { textOf } from '../core/values';
import { InputError } from '../core/errors';
import { geographyOfProfile } from '../analysis/bedrock';
import { createAnalysisContext } from '../analysis/context';
import { invokeGrantHolders } from '../analysis/iam';
import { InvocationSite, describeSite, invocationLoggingConfigs, invocationSites, invocationSitesOf } from '../analysis/invocation-sites';
import { describeLocation, judgeLocation } from '../analysis/locations';
import { invocationRegionOf, modelChoices } from '../analysis/model-choices';
import { parseArn } from '../analysis/arn';
import { CFN } from '../analysis/resource-types';
import type { Report } from '../engine/evaluate';
import { evaluate } from '../engine/evaluate';
import type { GuardrailPolicy } from '../policy/policy';
import { CLAUSES } from '../policy/frameworks';
import type { StackRule, Violation } from '../rules/rule';

/** What one region of the account has deployed; a call that failed keeps its error. */
export interface DeployedRegion {
  readonly logging?: LoggingConfig | null;
  readonly loggingError?: string;
  readonly retention?: string;
  readonly retentionError?: string;
}

/** Where one inference profile routes, as Bedrock says. */
export interface DeployedProfile {
  readonly regions?: readonly string[];
  readonly error?: string;
}

export interface DeployedState {
  readonly account: string;
  readonly regions: ReadonlyMap<string, DeployedRegion>;
  /** By `<region>/<profile id or ARN>`. */
  readonly profiles: ReadonlyMap<string, DeployedProfile>;
}

/** One inference profile the app uses, and the region it is invoked from. */
export interface UsedProfile {
  readonly region: string;
  readonly identifier: string;
  /** Who uses it, for messages. */
  readonly by: string;
}

/** Makes the Bedrock client of a region: the SDK's default credentials and endpoint (AWS_ENDPOINT_URL_BEDROCK in tests). */
export type ClientFactory = (region: string) => Pick<BedrockClient, 'send'>;

export const defaultClients: ClientFactory = (region) => new BedrockClient({ region });

/** The regions of `account` the app invokes in, and the inference profiles it uses there. */
export function verificationTargets(graph: ResourceGraph, policy: GuardrailPolicy, account: string | undefined): { account: string; regions: string[]; profiles: UsedProfile[]; otherAccounts: string[] } {
  const context = createAnalysisContext(graph, policy);
  const sites = invocationSites(context);
  const accounts = [...new Set(sites.flatMap((site) => ('known' in site.account ? [site.account.known] : [])))].filter((known) => /^\d{12}$/.test(known));
  const chosen = account ?? (accounts.length === 1 ? accounts[0] : undefined);
  if (chosen === undefined) {
    throw new InputError(
      accounts.length === 0 ? 'verify aws: the app names no account it invokes Bedrock in' : `verify aws: the app invokes Bedrock in accounts ${accounts.join(', ')}`,
      'pass --account <the account of your credentials>',
    );
  }
  const regions = [...new Set(sites.filter((site) => inAccount(site, chosen) && 'known' in site.region).map((site) => (site.region as { known: string }).known))].sort();
  const profiles = new Map<string, UsedProfile>();
  const use = (region: string | undefined, identifier: string, by: string): void => {
    if (region && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) profiles.set(`${region}/${identifier}`, { region, identifier, by });
  };
  for (const holder of invokeGrantHolders(context)) {
    for (const grant of holder.grants) {
      for (const target of grant.targets) {
        const arn = parseArn(textOf(target) ?? '');
        if (arn && arn.service === 'bedrock' && (arn.resourceType === 'inference-profile' || arn.resourceType === 'application-inference-profile') && !arn.resourceId.includes('*')) use(arn.region, arn.resourceType === 'inference-profile' ? arn.resourceId : arn.text, `${holder.resource.type} "${holder.resource.id}"`);
      }
    }
  }
  for (const choice of modelChoices(context)) {
    if (choice.target.kind !== 'profile' || choice.target.text.includes('guardrail')) continue;
    const region = invocationRegionOf(choice.resource, context);
    use(typeof region === 'string' ? region : undefined, choice.target.text, `${choice.resource.type} "${choice.resource.id}" (${choice.attribute})`);
  }
  return { account: chosen, regions, profiles: [...profiles.values()], otherAccounts: accounts.filter((known) => known !== chosen) };
}

function inAccount(site: Pick<InvocationSite, 'account'>, account: string): boolean {
  return 'known' in site.account && site.account.known === account;
}

/** Reads what the account has deployed in each region, and where each used profile routes. Failed calls are kept as errors, not thrown. */
export async function readDeployedState(account: string, regions: readonly string[], profiles: readonly UsedProfile[], clients: ClientFactory = defaultClients): Promise<DeployedState> {
  const deployed = new Map<string, DeployedRegion>();
  const routes = new Map<string, DeployedProfile>();
  await Promise.all(
    regions.map(async (region) => {
      const client = clients(region);
      const [logging, retention] = await Promise.all([settle(client.send(new GetModelInvocationLoggingConfigurationCommand({}))), settle(client.send(new GetAccountDataRetentionCommand({})))]);
      deployed.set(region, {
        ...('value' in logging ? { logging: logging.value.loggingConfig ?? null } : { loggingError: logging.error }),
        ...('value' in retention ? { retention: retention.value.mode ?? 'inherit' } : { retentionError: retention.error }),
      });
    }),
  );
  await Promise.all(
    profiles.map(async (profile) => {
      const answer = await settle(clients(profile.region).send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: profile.identifier })));
      const regions = 'value' in answer ? [...new Set((answer.value.models ?? []).map((model) => parseArn(model.modelArn ?? '')?.region ?? '').filter((region) => region !== ''))].sort() : undefined;
      routes.set(`${profile.region}/${profile.identifier}`, regions ? { regions } : { error: 'error' in answer ? answer.error : 'no answer' });
    }),
  );
  return { account, regions: deployed, profiles: routes };
}

async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await promise };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = (error as Error).name && (error as Error).name !== 'Error' ? `${(error as Error).name}: ` : '';
    return { error: `${name}${(error as Error).message}${status ? ` (HTTP ${status})` : ''}` };
  }
}

/** The live rules: each judges the sites of the app with the deployed state read for them. */
export function liveRules(state: DeployedState, profiles: readonly UsedProfile[]): StackRule[] {
  const sitesOf = (stack: Parameters<StackRule['checkStack']>[0], context: Parameters<StackRule['checkStack']>[1]): InvocationSite[] =>
    invocationSitesOf(context, stack).filter((site) => inAccount(site, state.account) && 'known' in site.region);
  const regionOf = (site: InvocationSite): string => (site.region as { known: string }).known;
  const logging: StackRule = {
    id: 'LCG-VER-001',
    title: 'Deployed invocation logging matches the app and records prompts',
    category: 'logging',
    severity: 'error',
    rationale: 'The synthesized app says what invocation logging should be; the account says what it is. A configuration someone replaced, turned off, or pointed at another role or bucket logs nothing the audit expects.',
    remediation: 'Deploy the app again (its BedrockInvocationLogging restores the configuration), or find who changed the account-wide setting.',
    clauses: [CLAUSES.soc2Monitoring, CLAUSES.hipaaAuditControls],
    resourceTypes: ['stack'],
    formats: ['cloudformation', 'terraform'],
    checkStack(stack, context) {
      const sites = sitesOf(stack, context);
      if (sites.length === 0) return undefined;
      return sites.flatMap((site): Violation[] => {
        const deployed = state.regions.get(regionOf(site));
        const where = describeSite(site);
        if (!deployed || deployed.loggingError !== undefined) {
          return [{ message: `Cannot verify the invocation logging deployed in ${where}: ${deployed?.loggingError ?? 'not read'}.`, found: `GetModelInvocationLoggingConfiguration: ${deployed?.loggingError ?? 'not read'}`, expected: 'a readable configuration (bedrock:GetModelInvocationLoggingConfiguration)', attribute: 'deployed', cannotVerify: true }];
        }
        if (!deployed.logging) return [{ message: `No invocation logging is deployed in ${where}, where the app invokes Bedrock.`, found: 'no configuration in the account', expected: 'invocation logging with text data delivery', attribute: 'deployed' }];
        const differences: string[] = [];
        if (deployed.logging.textDataDeliveryEnabled !== true) differences.push('textDataDeliveryEnabled is not true');
        const declared = invocationLoggingConfigs(context).find((config) => 'known' in config.account && 'known' in config.region && config.account.known === state.account && config.region.known === regionOf(site));
        if (declared) {
          const cloudFormation = declared.resource.type === CFN.invocationLogging;
          const config = declared.resource.properties[cloudFormation ? 'LoggingConfig' : 'logging_config'];
          const pick = (path: string): string | undefined => {
            let value: unknown = config;
            for (const step of path.split('.')) value = Array.isArray(value) ? (value[0] as { [key: string]: unknown } | undefined)?.[step] : (value as { [key: string]: unknown } | undefined)?.[step];
            return typeof value === 'string' ? value : undefined;
          };
          const compare = (name: string, want: string | undefined, got: string | undefined): void => {
            if (want !== undefined && want !== got) differences.push(`${name} is ${JSON.stringify(got ?? null)}, the app declares ${JSON.stringify(want)}`);
          };
          compare('cloudWatchConfig.roleArn', pick(cloudFormation ? 'cloudWatchConfig.roleArn' : 'cloudwatch_config.role_arn'), deployed.logging.cloudWatchConfig?.roleArn);
          compare('cloudWatchConfig.logGroupName', pick(cloudFormation ? 'cloudWatchConfig.logGroupName' : 'cloudwatch_config.log_group_name'), deployed.logging.cloudWatchConfig?.logGroupName);
          compare('s3Config.bucketName', pick(cloudFormation ? 's3Config.bucketName' : 's3_config.bucket_name'), deployed.logging.s3Config?.bucketName);
        }
        if (differences.length === 0) return [];
        return [{ message: `The invocation logging deployed in ${where} is not what the app declares.`, found: differences.join('; '), expected: 'the configuration of the app, with text data delivery', attribute: 'deployed' }];
      });
    },
  };
  const retention: StackRule = {
    id: 'LCG-VER-002',
    title: 'The deployed data retention mode is the one the app and policy require',
    category: 'retention',
    severity: 'error',
    rationale: 'The account data retention mode decides whether AWS or the model provider may keep prompts. It is one setting per account and region that anyone with the permission can change.',
    remediation: 'Deploy the app again (its BedrockDataRetention restores the mode), or set it to none where the policy requires zero retention.',
    clauses: [CLAUSES.gdprStorageLimitation],
    resourceTypes: ['stack'],
    formats: ['cloudformation', 'terraform'],
    checkStack(stack, context) {
      const sites = sitesOf(stack, context);
      if (sites.length === 0) return undefined;
      return sites.flatMap((site): Violation[] => {
        const declared = context.graph.ofType(CFN.dataRetention).find((setting) => setting.stack.account === state.account && setting.stack.region === regionOf(site));
        const want = context.policy.requireZeroDataRetention ? 'none' : typeof declared?.properties.Mode === 'string' ? declared.properties.Mode : undefined;
        if (want === undefined) return [];
        const deployed = state.regions.get(regionOf(site));
        const where = describeSite(site);
        if (!deployed || deployed.retentionError !== undefined) {
          return [{ message: `Cannot verify the data retention mode deployed in ${where}: ${deployed?.retentionError ?? 'not read'}.`, found: `GetAccountDataRetention: ${deployed?.retentionError ?? 'not read'}`, expected: `mode ${want}`, attribute: 'deployed', cannotVerify: true }];
        }
        return deployed.retention === want ? [] : [{ message: `The data retention mode deployed in ${where} is ${deployed.retention}, not ${want}.`, found: `mode = ${deployed.retention}`, expected: `mode ${want}`, attribute: 'deployed' }];
      });
    },
  };
  const routing: StackRule = {
    id: 'LCG-VER-003',
    title: 'Inference profiles the app uses route only to the regions the catalog lists, inside the jurisdiction',
    category: 'residency',
    severity: 'error',
    rationale: 'AWS changes the destination regions of inference profiles. The static catalog the rules judge by is only as good as its date; the account itself says where a profile routes today.',
    remediation: 'Refresh the catalog (llm-guardrail catalog refresh aws) and judge again; use a foundation model in an allowed region where a profile routes outside the jurisdiction.',
    clauses: [CLAUSES.gdprTransfers],
    resourceTypes: ['stack'],
    formats: ['cloudformation', 'terraform'],
    checkStack(stack, context) {
      if (context.graph.stacks[0] !== stack) return undefined;
      if (profiles.length === 0) return [];
      return profiles.flatMap((profile): Violation[] => {
        const deployed = state.profiles.get(`${profile.region}/${profile.identifier}`);
        const found = `${profile.identifier} from ${profile.region} (used by ${profile.by})`;
        if (!deployed || deployed.error !== undefined) {
          return [{ message: `Cannot verify where inference profile ${found} routes: ${deployed?.error ?? 'not read'}.`, found: `GetInferenceProfile: ${deployed?.error ?? 'not read'}`, expected: 'a readable profile (bedrock:GetInferenceProfile)', attribute: 'deployed', subject: profile.identifier, cannotVerify: true }];
        }
        const violations: Violation[] = [];
        const geography = geographyOfProfile(profile.identifier);
        const info = geography && geography !== 'wildcard' ? geography.info : undefined;
        const catalogued = info?.destinationRegions;
        const unlisted = catalogued && !info!.anywhere ? deployed.regions!.filter((region) => !catalogued.includes(region)) : [];
        if (unlisted.length > 0) {
          violations.push({ message: `Inference profile ${found} routes to ${unlisted.join(', ')}, which the inference-profile catalog (as of ${inferenceProfilesAsOf()}) does not list.`, found: `destinations ${deployed.regions!.join(', ')}`, expected: `destinations within ${catalogued!.join(', ')}`, fix: 'run llm-guardrail catalog refresh aws and point --catalog (or the policy\'s inferenceProfileCatalog) at the file', attribute: 'deployed', subject: profile.identifier });
        }
        if (context.policy.constrainsResidency) {
          const outside = deployed.regions!.flatMap((region) => {
            const verdict = judgeLocation(context.policy, 'aws', region);
            return verdict.status === 'denied' ? [describeLocation(verdict.info)] : verdict.status === 'unverifiable' ? [`${region} (unknown to the catalog)`] : [];
          });
          if (outside.length > 0) violations.push({ message: `Inference profile ${found} routes prompts to ${outside.join(', ')}, outside ${context.policy.describeResidency('aws')}.`, found: `destinations ${deployed.regions!.join(', ')}`, expected: `every destination in ${context.policy.describeResidency('aws')}`, attribute: 'deployed', subject: profile.identifier });
        }
        return violations;
      });
    },
  };
  return [logging, retention, routing];
}

/** Verifies a synthesized app against the account: reads, then judges with the live rules. */
export async function verifyAws(graph: ResourceGraph, policy: GuardrailPolicy, options: { account?: string; today?: string; clients?: ClientFactory } = {}): Promise<Report & { otherAccounts: readonly string[] }> {
  const targets = verificationTargets(graph, policy, options.account);
  const state = await readDeployedState(targets.account, targets.regions, targets.profiles, options.clients);
  const rules = liveRules(state, targets.profiles);
  const report = evaluate(createAnalysisContext(graph, policy), { rules, coverage: false, today: options.today });
  return { ...report, otherAccounts: targets.otherAccounts };
}

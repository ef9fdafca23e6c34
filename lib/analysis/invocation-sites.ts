/**
 * Where Bedrock is invoked, and what records it there. Invocation logging and
 * CloudTrail are per account and region, and they must cover the region a
 * call is made in — not the region of the stack that grants it. The sites
 * come from the app's invoke grants (the regions of the model and profile
 * ARNs they name; the caller's own region for "*" and wildcards) and from the
 * regions code is configured to call (a BEDROCK_REGION, else where it runs).
 * The coverage comes from invocation-logging configurations and trails of the
 * app (CloudFormation and Terraform) and from logging the policy declares as
 * provided outside the app (a central logging account).
 */
import { bedrockService } from '../catalogs';
import type { Resource, StackInfo } from '../core/graph';
import { Unresolved, Value, asList, block, describeValue, isPlainObject, switchValue, textOf } from '../core/values';
import type { CentralLoggingKind, CentralLoggingSpec } from '../policy/spec';
import { parseArn } from './arn';
import { isGeographicProfileId } from './bedrock';
import type { AnalysisContext } from './context';
import { actionMatches, describeGrant, invokeGrantHolders } from './iam';
import { placementOf } from './locations';
import { invocationRegionOf, modelChoices } from './model-choices';
import { CFN, TF_AWS } from './resource-types';

/**
 * An account or region: known, or known only at deploy or plan time (with
 * why). An unknown one still names the stack it is the environment of: two
 * resources of one environment-agnostic stack share their account and region.
 */
export type Place = { readonly known: string } | { readonly unknown: string; readonly of?: string };

/** One account and region Bedrock may be invoked in, and who may invoke there. */
export interface InvocationSite {
  readonly account: Place;
  readonly region: Place;
  /** The callers, in document order: grant holders and code. */
  readonly callers: readonly { readonly resource: Resource; readonly why: string }[];
}

/** `account/region` for messages. */
export function describeSite(site: Pick<InvocationSite, 'account' | 'region'>): string {
  const text = (place: Place, what: string): string => ('known' in place ? displayAccount(place.known) : `an ${what} known only at deploy time`);
  return `${text(site.account, 'account')}/${text(site.region, 'region')}`;
}

function displayAccount(account: string): string {
  return account.startsWith(TERRAFORM_ACCOUNT) ? `the account of Terraform configuration "${account.slice(TERRAFORM_ACCOUNT.length)}"` : account;
}

/** Prefix of the stand-in account of a Terraform configuration whose provider names none: its resources share it. */
const TERRAFORM_ACCOUNT = 'terraform:';

/** The account a resource deploys into. */
export function accountOf(resource: Resource): Place {
  if (resource.stack.format === 'cloudformation') return placeOf(resource.stack.account, 'the stack is environment-agnostic', resource.stack.name);
  const provider = resource.providerConfig ?? {};
  const allowed = asList(provider.allowed_account_ids).find((value) => typeof value === 'string' && /^\d{12}$/.test(value));
  if (typeof allowed === 'string') return { known: allowed };
  const roleArn = textOf(block(provider.assume_role)?.role_arn);
  const fromRole = roleArn ? parseArn(roleArn)?.account : undefined;
  if (fromRole && /^\d{12}$/.test(fromRole)) return { known: fromRole };
  if (roleArn && roleArn.includes('${')) return { unknown: `the aws provider assumes a role known only at plan time (${roleArn})` };
  return { known: `${TERRAFORM_ACCOUNT}${resource.stack.name}` };
}

/** The region a resource deploys into (the stack region, or the Terraform region). */
export function regionOf(resource: Resource): Place {
  if (resource.stack.format === 'cloudformation') return placeOf(resource.stack.region, 'the stack is environment-agnostic', resource.stack.name);
  return placeOf(placementOf(resource)?.value, 'the aws provider sets no region', resource.stack.name);
}

function placeOf(value: Value | undefined, why: string, of?: string): Place {
  if (typeof value === 'string' && !value.includes('${')) return { known: value };
  return { unknown: value instanceof Unresolved ? value.reason : why, ...(of !== undefined ? { of } : {}) };
}

function placeKey(place: Place): string {
  return 'known' in place ? place.known : `?${place.of ?? ''}?${place.unknown}`;
}

/** Guardrails choose a guardrail profile, not a model they invoke. */
const GUARDRAIL_TYPES: ReadonlySet<string> = new Set(['AWS::Bedrock::Guardrail', 'aws_bedrock_guardrail']);

/** Whether a statement allows its resources only through an inference profile: a condition on `bedrock:InferenceProfileArn`. */
function throughProfileOnly(statement: { readonly [key: string]: Value } | undefined): boolean {
  const condition = statement?.Condition ?? statement?.condition;
  if (isPlainObject(condition)) return Object.values(condition).some((test) => isPlainObject(test) && Object.keys(test).some((key) => key.toLowerCase() === 'bedrock:inferenceprofilearn'));
  // Terraform policy documents: condition blocks with a variable.
  return asList(condition).some((test) => isPlainObject(test) && typeof test.variable === 'string' && test.variable.toLowerCase() === 'bedrock:inferenceprofilearn');
}

/** Every site Bedrock may be invoked in, in document order of their first caller; once per run. */
export function invocationSites(context: AnalysisContext): readonly InvocationSite[] {
  return context.memo('invocation-sites', () => {
    const sites = new Map<string, { account: Place; region: Place; callers: { resource: Resource; why: string }[]; seen: Set<Resource> }>();
    // Why a caller is one is written only for the first of its calls at a site.
    const add = (resource: Resource, region: Place, why: () => string): void => {
      const account = accountOf(resource);
      const key = `${placeKey(account)}\u0000${placeKey(region)}`;
      let site = sites.get(key);
      if (!site) sites.set(key, (site = { account, region, callers: [], seen: new Set() }));
      if (site.seen.has(resource)) return;
      site.seen.add(resource);
      site.callers.push({ resource, why: why() });
    };
    for (const holder of invokeGrantHolders(context)) {
      // The foundation models a geographic profile routes to are granted next to it, but calls are made (and
      // logged) in the profile's source region: those grants are destinations, not places the caller invokes in.
      const profileModels = new Set(
        holder.grants.flatMap((grant) =>
          grant.targets.flatMap((target) => {
            const arn = parseArn(textOf(target) ?? '');
            return arn && arn.resourceType === 'inference-profile' && isGeographicProfileId(arn.resourceId) ? [arn.resourceId.slice(arn.resourceId.indexOf('.') + 1)] : [];
          }),
        ),
      );
      for (const grant of holder.grants) {
        for (const target of grant.targets) {
          const text = textOf(target);
          const arn = text ? parseArn(text) : undefined;
          // …but only when the statement allows them through a profile alone (a condition on bedrock:InferenceProfileArn):
          // otherwise the caller may invoke the model directly in that region too.
          if (arn && arn.resourceType === 'foundation-model' && profileModels.has(arn.resourceId) && throughProfileOnly(grant.statement)) continue;
          const literalRegion = arn && (arn.service === 'bedrock' || arn.service === 'bedrock-agentcore') && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(arn.region) ? arn.region : undefined;
          // A region-less ARN is the foundation model a global profile routes to: the profile ARN names the calling region.
          if (arn && arn.service === 'bedrock' && arn.region === '') continue;
          add(holder.resource, literalRegion ? { known: literalRegion } : regionOf(holder.resource), () => describeGrant(grant));
        }
      }
    }
    for (const choice of modelChoices(context)) {
      // A Bedrock resource that chooses a model (an agent, a knowledge base's embedding model, a flow or prompt node)
      // invokes it itself, whoever its service role is: in the region its model ARN names, else its own. A
      // guardrail's profile is no model invocation.
      if (choice.setting === 'bedrock') {
        if (choice.about !== 'model' || GUARDRAIL_TYPES.has(choice.resource.type)) continue;
        const arn = choice.target.kind === 'arn' ? parseArn(choice.target.text) : undefined;
        const region = arn && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(arn.region) ? { known: arn.region } : regionOf(choice.resource);
        add(choice.resource, region, () => `${choice.resource.type} "${choice.resource.id}" (${choice.attribute})`);
        continue;
      }
      if (choice.setting !== 'code') continue;
      const region = invocationRegionOf(choice.resource, context);
      add(choice.resource, region instanceof Unresolved ? { unknown: region.reason } : typeof region === 'string' ? { known: region } : regionOf(choice.resource), () => `${choice.resource.type} "${choice.resource.id}" (${choice.attribute})`);
    }
    return [...sites.values()].map(({ account, region, callers }) => ({ account, region, callers }));
  });
}

/** The sites whose home is `stack` (see {@link homeStackOf}), in the order of {@link invocationSites}; once per run. */
export function invocationSitesOf(context: AnalysisContext, stack: StackInfo): readonly InvocationSite[] {
  const byStack = context.memo('invocation-sites-by-home', () => {
    const table = new Map<StackInfo, InvocationSite[]>();
    for (const site of invocationSites(context)) {
      const home = homeStackOf(site);
      let list = table.get(home);
      if (!list) table.set(home, (list = []));
      list.push(site);
    }
    return table;
  });
  return byStack.get(stack) ?? [];
}

/** Whether something covers a site: yes, no, or unknown (with why). */
export type Coverage = { readonly status: 'yes' } | { readonly status: 'no'; readonly gap?: string } | { readonly status: 'unknown'; readonly why: string };

export function samePlace(a: Place, b: Place): 'yes' | 'no' | 'unknown' {
  if ('known' in a && 'known' in b) return a.known === b.known ? 'yes' : 'no';
  if ('unknown' in a && 'unknown' in b && a.of !== undefined && a.of === b.of && a.unknown === b.unknown) return 'yes';
  return 'unknown';
}

/** The central logging the policy declares for a site and a kind, if any. */
export function declaredCentralLogging(central: readonly CentralLoggingSpec[], site: Pick<InvocationSite, 'account' | 'region'>, provides: CentralLoggingKind): CentralLoggingSpec | undefined {
  return central.find(
    (entry) =>
      entry.account !== undefined &&
      entry.regions !== undefined &&
      entry.provides.includes(provides) &&
      (entry.account === '*' || ('known' in site.account && site.account.known === entry.account)) &&
      (entry.regions.includes('*') || ('known' in site.region && entry.regions.includes(site.region.known))),
  );
}

/** One invocation-logging configuration of the app: where it applies, and whether it records prompts and responses. */
export interface InvocationLoggingConfig {
  readonly resource: Resource;
  readonly account: Place;
  readonly region: Place;
  /** `true`, `false`, or `unknown` when known only at deploy time. */
  readonly text: boolean | 'unknown';
  /** The text setting as written, for messages. */
  readonly textFound: string;
}

/** Every invocation-logging configuration (our custom resource, Terraform's resource); once per run. */
export function invocationLoggingConfigs(context: AnalysisContext): readonly InvocationLoggingConfig[] {
  return context.memo('invocation-logging-configs', () =>
    context.graph.ofType(CFN.invocationLogging, TF_AWS.invocationLogging).map((resource) => {
      const cloudFormation = resource.type === CFN.invocationLogging;
      const raw = resource.properties[cloudFormation ? 'LoggingConfig' : 'logging_config'];
      const key = cloudFormation ? 'textDataDeliveryEnabled' : 'text_data_delivery_enabled';
      const config = block(raw);
      const setting = raw instanceof Unresolved ? raw : config?.[key];
      // Terraform's text_data_delivery_enabled defaults to true; our construct always writes it.
      const text = raw instanceof Unresolved ? 'unknown' : setting === undefined && !cloudFormation ? true : switchValue(setting) === true ? true : switchValue(setting) === 'unknown' ? 'unknown' : false;
      return { resource, account: accountOf(resource), region: regionOf(resource), text, textFound: `${cloudFormation ? 'LoggingConfig' : 'logging_config'}${raw instanceof Unresolved ? '' : `.${key}`} = ${describeValue(setting)}` };
    }),
  );
}

/** Whether one configuration applies to a site. */
export function configCovers(config: InvocationLoggingConfig, site: InvocationSite): 'yes' | 'no' | 'unknown' {
  const account = samePlace(config.account, site.account);
  const region = samePlace(config.region, site.region);
  if (account === 'no' || region === 'no') return 'no';
  return account === 'yes' && region === 'yes' ? 'yes' : 'unknown';
}

/** One CloudTrail trail of the app: where it records, and what it misses of Bedrock runtime calls. */
export interface TrailFacts {
  readonly resource: Resource;
  readonly account: Place;
  readonly region: Place;
  readonly multiRegion: boolean | 'unknown';
  readonly organization: boolean | 'unknown';
  /** Why it does not record Bedrock runtime calls (management events), or undefined when it does. */
  readonly gap?: { readonly text: string; readonly unknown: boolean };
}

/** Every trail (CloudFormation and Terraform); once per run. */
export function trails(context: AnalysisContext): readonly TrailFacts[] {
  return context.memo('trails', () =>
    context.graph.ofType(CFN.trail, TF_AWS.trail).map((resource) => {
      const cloudFormation = resource.type === CFN.trail;
      const props = resource.properties;
      const flag = (value: Value | undefined, fallback: boolean): boolean | 'unknown' => {
        const state = switchValue(value);
        return state === 'unknown' ? 'unknown' : state === undefined ? fallback : state;
      };
      return {
        resource,
        account: accountOf(resource),
        region: regionOf(resource),
        multiRegion: flag(props[cloudFormation ? 'IsMultiRegionTrail' : 'is_multi_region_trail'], false),
        organization: flag(props[cloudFormation ? 'IsOrganizationTrail' : 'is_organization_trail'], false),
        gap: cloudFormation ? cloudFormationTrailGap(resource) : terraformTrailGap(resource),
      };
    }),
  );
}

/** Whether a trail records a site's calls: its account (or its organization) and its region (or every region). */
export function trailCovers(trail: TrailFacts, site: InvocationSite): 'yes' | 'no' | 'unknown' {
  if (trail.multiRegion === 'unknown' || trail.organization === 'unknown') return 'unknown';
  const account = trail.organization ? 'yes' : samePlace(trail.account, site.account);
  const region = trail.multiRegion ? 'yes' : samePlace(trail.region, site.region);
  if (account === 'no' || region === 'no') return 'no';
  return account === 'yes' && region === 'yes' ? 'yes' : 'unknown';
}

function cloudFormationTrailGap(trail: Resource): TrailFacts['gap'] {
  const { IsLogging, AdvancedEventSelectors, EventSelectors } = trail.properties;
  const logging = switchValue(IsLogging);
  if (logging === 'unknown') return { text: `IsLogging = ${describeValue(IsLogging)}`, unknown: true };
  if (logging !== true) return { text: `IsLogging is ${JSON.stringify(IsLogging ?? null)}`, unknown: false };
  return selectorGap(AdvancedEventSelectors, EventSelectors, { fieldSelectors: 'FieldSelectors', field: 'Field', equals: 'Equals', management: 'IncludeManagementEvents', readWrite: 'ReadWriteType', advanced: 'AdvancedEventSelectors', basic: 'EventSelectors' });
}

function terraformTrailGap(trail: Resource): TrailFacts['gap'] {
  const { enable_logging: logging, advanced_event_selector: advanced, event_selector: basic } = trail.properties;
  const state = switchValue(logging);
  if (state === 'unknown') return { text: `enable_logging = ${describeValue(logging)}`, unknown: true };
  // enable_logging defaults to true.
  if (state === false) return { text: 'enable_logging is false', unknown: false };
  return selectorGap(advanced, basic, { fieldSelectors: 'field_selector', field: 'field', equals: 'equals', management: 'include_management_events', readWrite: 'read_write_type', advanced: 'advanced_event_selector', basic: 'event_selector' });
}

interface SelectorNames {
  readonly fieldSelectors: string;
  readonly field: string;
  readonly equals: string;
  readonly management: string;
  readonly readWrite: string;
  readonly advanced: string;
  readonly basic: string;
}

/** Whether a trail's event selectors keep management events (where bedrock-runtime calls are recorded). */
function selectorGap(advanced: Value | undefined, basic: Value | undefined, names: SelectorNames): TrailFacts['gap'] {
  if (advanced instanceof Unresolved || (Array.isArray(advanced) && advanced.some((selector) => selector instanceof Unresolved))) {
    return { text: `${names.advanced} = ${describeValue(advanced)}`, unknown: true };
  }
  if (Array.isArray(advanced) && advanced.length > 0) {
    return advanced.some((selector) => selectsManagementEvents(selector, names)) ? undefined : { text: 'its advanced event selectors record no management events', unknown: false };
  }
  if (basic instanceof Unresolved) return { text: `${names.basic} = ${basic.expression}`, unknown: true };
  if (Array.isArray(basic) && basic.length > 0) {
    let unknown = false;
    const records = basic.some((selector) => {
      if (!isPlainObject(selector)) return false;
      const management = switchValue(selector[names.management]);
      const readWrite = selector[names.readWrite];
      if (management === 'unknown' || readWrite instanceof Unresolved) unknown = true;
      return management !== false && management !== 'unknown' && (readWrite === undefined || readWrite === 'All');
    });
    if (records) return undefined;
    return unknown
      ? { text: `its event selectors choose management events at deploy time (${describeValue(basic)})`, unknown: true }
      : { text: 'its event selectors exclude management events or keep only read or only write events', unknown: false };
  }
  return undefined;
}

function selectsManagementEvents(selector: Value, names: SelectorNames): boolean {
  if (!isPlainObject(selector)) return false;
  let management = false;
  for (const field of asList(selector[names.fieldSelectors])) {
    if (!isPlainObject(field)) continue;
    if (field[names.field] === 'eventCategory' && asList(field[names.equals]).includes('Management')) management = true;
    // Whether CloudTrail classifies invocation calls as read or write events is not documented: accept only selectors keeping both.
    if (field[names.field] === 'readOnly') return false;
  }
  return management;
}

/** The resource types, CloudFormation and Terraform, of each CloudTrail data-event resources.type. */
const DATA_EVENT_RESOURCES: { readonly [resourcesType: string]: readonly string[] } = {
  'AWS::Bedrock::AgentAlias': ['AWS::Bedrock::AgentAlias', 'aws_bedrockagent_agent_alias'],
  'AWS::Bedrock::FlowAlias': ['AWS::Bedrock::FlowAlias'],
  'AWS::Bedrock::KnowledgeBase': ['AWS::Bedrock::KnowledgeBase', 'aws_bedrockagent_knowledge_base'],
  'AWS::Bedrock::Guardrail': ['AWS::Bedrock::Guardrail', 'aws_bedrock_guardrail'],
  'AWS::Bedrock::PromptVersion': ['AWS::Bedrock::PromptVersion'],
};

/** Aliases exist to be invoked: each is a place where InvokeAgent or InvokeFlow calls are made. */
const INVOKED_ALIASES: readonly string[] = ['AWS::Bedrock::AgentAlias', 'aws_bedrockagent_agent_alias', 'AWS::Bedrock::FlowAlias'];

/** One account and region where Bedrock data-plane calls are made that CloudTrail records only as data events of one resources.type. */
export interface DataEventSite extends InvocationSite {
  /** The `resources.type` an advanced event selector must name (`AWS::Bedrock::AgentAlias`). */
  readonly resourcesType: string;
}

/**
 * Where the app makes Bedrock data-plane calls (InvokeAgent, InvokeFlow,
 * Retrieve, ApplyGuardrail, RenderPrompt) that a trail records only as data
 * events: grants that name those actions (a wildcard counts where the app
 * defines a resource of that kind), and the agent and flow aliases the app
 * defines; once per run.
 */
export function dataEventSites(context: AnalysisContext): readonly DataEventSite[] {
  return context.memo('data-event-sites', () => {
    const actions = Object.entries(bedrockService().dataEventActions);
    const defines = (resourcesType: string): boolean => context.graph.ofType(...(DATA_EVENT_RESOURCES[resourcesType] ?? [])).length > 0;
    const sites = new Map<string, { account: Place; region: Place; resourcesType: string; callers: { resource: Resource; why: string }[]; seen: Set<Resource> }>();
    const add = (resource: Resource, region: Place, resourcesType: string, why: () => string): void => {
      const account = accountOf(resource);
      const key = `${placeKey(account)}\u0000${placeKey(region)}\u0000${resourcesType}`;
      let site = sites.get(key);
      if (!site) sites.set(key, (site = { account, region, resourcesType, callers: [], seen: new Set() }));
      if (site.seen.has(resource)) return;
      site.seen.add(resource);
      site.callers.push({ resource, why: why() });
    };
    for (const holder of invokeGrantHolders(context)) {
      for (const grant of holder.grants) {
        for (const pattern of grant.actions) {
          for (const [action, resourcesType] of actions) {
            if (!actionMatches(pattern, action)) continue;
            // bedrock:* grants every data-plane action: it needs data events where the app has such a resource.
            if (/[*?]/.test(pattern) && !defines(resourcesType)) continue;
            for (const target of grant.targets.length > 0 ? grant.targets : ['*']) {
              const arn = parseArn(textOf(target) ?? '');
              const region = arn && arn.service === 'bedrock' && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(arn.region) ? { known: arn.region } : regionOf(holder.resource);
              add(holder.resource, region, resourcesType, () => describeGrant(grant));
            }
          }
        }
      }
    }
    for (const alias of context.graph.ofType(...INVOKED_ALIASES)) {
      const resourcesType = alias.type === 'AWS::Bedrock::FlowAlias' ? 'AWS::Bedrock::FlowAlias' : 'AWS::Bedrock::AgentAlias';
      add(alias, regionOf(alias), resourcesType, () => `${alias.type} "${alias.id}" (invoked through ${resourcesType === 'AWS::Bedrock::FlowAlias' ? 'InvokeFlow' : 'InvokeAgent'})`);
    }
    return [...sites.values()].map(({ account, region, resourcesType, callers }) => ({ account, region, resourcesType, callers }));
  });
}

/**
 * Whether a trail records the data events of one Bedrock resources.type: an
 * advanced event selector of eventCategory Data naming it (a selector that
 * narrows further, by ARN or event name, cannot be shown to keep every call);
 * basic event selectors cannot record Bedrock data events.
 */
export function trailRecordsDataEvents(trail: TrailFacts, resourcesType: string): 'yes' | 'no' | 'unknown' {
  const props = trail.resource.properties;
  const cloudFormation = trail.resource.type === CFN.trail;
  const logging = switchValue(props[cloudFormation ? 'IsLogging' : 'enable_logging']);
  if (logging === 'unknown') return 'unknown';
  if (logging === false || (cloudFormation && logging !== true)) return 'no';
  const advanced = props[cloudFormation ? 'AdvancedEventSelectors' : 'advanced_event_selector'];
  if (advanced instanceof Unresolved) return 'unknown';
  const names = cloudFormation ? { fields: 'FieldSelectors', field: 'Field', equals: 'Equals' } : { fields: 'field_selector', field: 'field', equals: 'equals' };
  let unknown = false;
  for (const selector of asList(advanced)) {
    if (selector instanceof Unresolved) {
      unknown = true;
      continue;
    }
    if (!isPlainObject(selector)) continue;
    const fields = asList(selector[names.fields]);
    if (fields.some((field) => field instanceof Unresolved)) {
      unknown = true;
      continue;
    }
    const named = (name: string) => fields.find((field) => isPlainObject(field) && field[names.field] === name) as { readonly [key: string]: Value } | undefined;
    const category = named('eventCategory');
    const type = named('resources.type');
    if (!category || !type || !asList(category[names.equals]).includes('Data') || !asList(type[names.equals]).includes(resourcesType)) continue;
    if (fields.length > 2) {
      unknown = true;
      continue;
    }
    return 'yes';
  }
  return unknown ? 'unknown' : 'no';
}

/**
 * The stack a site's findings are reported in, once: that of its caller first
 * by stack name and id, so that every reader of the same app (the gate, the
 * CLI) reports them in the same place whatever order it read the stacks in.
 */
export function homeStackOf(site: Pick<InvocationSite, 'callers'>): StackInfo {
  let first = site.callers[0].resource;
  for (const { resource } of site.callers) {
    if (resource.stack.name < first.stack.name || (resource.stack.name === first.stack.name && resource.id < first.id)) first = resource;
  }
  return first.stack;
}

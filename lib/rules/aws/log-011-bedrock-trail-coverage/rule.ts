import { describeEnvironment } from '../../../analysis/environments';
import { describeGrant, invokeGrantsByStack } from '../../../analysis/iam';
import { CFN } from '../../../analysis/resource-types';
import type { Resource, StackInfo } from '../../../core/graph';
import { Unresolved, Value, describeValue, isPlainObject, switchValue } from '../../../core/values';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, StackRule } from '../../rule';

/**
 * A stack that can invoke Bedrock has a CloudTrail trail in its account that
 * covers its region and records management events (where bedrock-runtime
 * calls are recorded).
 */
export const bedrockTrailCoverage: StackRule = {
  id: 'LCG-LOG-011',
  title: 'Stacks that can invoke Bedrock are covered by a CloudTrail trail with management events',
  category: 'logging',
  severity: 'error',
  rationale:
    'Invocation logging records what was asked; CloudTrail records who called which Bedrock API, when and from where, and who changed the logging itself. Event history keeps 90 days only; audits need a trail delivering to durable storage.',
  remediation: 'Add BedrockAuditTrail (a multi-region trail with management events and Bedrock data events) in the same account.',
  clauses: [CLAUSES.hipaaAuditControls, CLAUSES.soc2Monitoring, CLAUSES.aiActRecordKeeping],
  resourceTypes: ['stack'],
  formats: ['cloudformation'],
  checkStack(stack, context) {
    if (stack.format !== 'cloudformation') return undefined;
    const grants = invokeGrantsByStack(context).get(stack.name);
    if (!grants || grants.length === 0) return undefined;
    const trails = context.graph.ofType(CFN.trail);
    let unknown = false;
    const partial: string[] = [];
    const undecided: string[] = [];
    for (const trail of trails) {
      const covers = coversStack(trail, stack);
      if (covers === 'unknown') unknown = true;
      if (covers !== 'yes') continue;
      const gap = trailGap(trail);
      if (!gap) return COMPLIANT;
      (gap.unknown ? undecided : partial).push(`${trail.path ?? trail.id}: ${gap.text}`);
    }
    const environment = describeEnvironment(stack);
    if (undecided.length > 0) {
      return [
        {
          message: `Cannot verify that a trail records the Bedrock API calls of stack "${stack.name}": a trail setting is known only at deploy time.`,
          found: [...undecided, ...partial].join('; '),
          expected: 'a logging trail that records management events',
          fix: 'write IsLogging and the event selectors of the trail as literal values',
          attribute: 'environment',
          cannotVerify: true,
        },
      ];
    }
    if (partial.length > 0) {
      return [
        {
          message: `Stack "${stack.name}" can invoke Bedrock (${describeGrant(grants[0])}) but no trail covering ${environment} records its API calls.`,
          found: partial.join('; '),
          expected: 'a logging trail that records management events',
          fix: 'set IsLogging: true and include management events (an advanced event selector with eventCategory = Management, or no selectors at all)',
          attribute: 'environment',
        },
      ];
    }
    if (unknown) {
      return [
        {
          message: `Cannot verify that stack "${stack.name}" (which can invoke Bedrock) is covered by a CloudTrail trail: an account or region is known only at deploy time.`,
          found: `stack environment ${environment}`,
          expected: `a trail in the stack's account covering ${typeof stack.region === 'string' ? stack.region : 'its region'}`,
          fix: 'give every stack an explicit env: { account, region }, or add BedrockAuditTrail to this stack',
          attribute: 'environment',
          cannotVerify: true,
        },
      ];
    }
    return [
      {
        message: `Stack "${stack.name}" can invoke Bedrock (${describeGrant(grants[0])}) but no CloudTrail trail in the app covers ${environment}.`,
        found: trails.length === 0 ? 'no AWS::CloudTrail::Trail in the app' : `trails only for ${trails.map((trail) => describeEnvironment(trail.stack)).join(', ')}`,
        expected: `a multi-region trail in ${typeof stack.account === 'string' ? `account ${stack.account}` : "the stack's account"}, or a trail in ${environment}`,
        attribute: 'environment',
      },
    ];
  },
};

function coversStack(trail: Resource, stack: StackInfo): 'yes' | 'no' | 'unknown' {
  if (trail.stack.name === stack.name) return 'yes';
  const multiRegionSwitch = switchValue(trail.properties.IsMultiRegionTrail);
  if (multiRegionSwitch === 'unknown') return 'unknown';
  const multiRegion = multiRegionSwitch === true;
  const values = multiRegion ? [trail.stack.account, stack.account] : [trail.stack.account, stack.account, trail.stack.region, stack.region];
  if (values.some((value) => typeof value !== 'string')) return 'unknown';
  if (trail.stack.account !== stack.account) return 'no';
  return multiRegion || trail.stack.region === stack.region ? 'yes' : 'no';
}

/** Why a trail does not record Bedrock runtime calls (`unknown` when a setting is known only at deploy time), or undefined when it does. */
function trailGap(trail: Resource): { readonly text: string; readonly unknown: boolean } | undefined {
  const { IsLogging, AdvancedEventSelectors, EventSelectors } = trail.properties;
  const logging = switchValue(IsLogging);
  if (logging === 'unknown') return { text: `IsLogging = ${describeValue(IsLogging)}`, unknown: true };
  if (logging !== true) return { text: `IsLogging is ${JSON.stringify(IsLogging ?? null)}`, unknown: false };
  if (AdvancedEventSelectors instanceof Unresolved || (Array.isArray(AdvancedEventSelectors) && AdvancedEventSelectors.some((selector) => selector instanceof Unresolved))) {
    return { text: `AdvancedEventSelectors = ${describeValue(AdvancedEventSelectors)}`, unknown: true };
  }
  if (Array.isArray(AdvancedEventSelectors) && AdvancedEventSelectors.length > 0) {
    return AdvancedEventSelectors.some(selectsManagementEvents) ? undefined : { text: 'its advanced event selectors record no management events', unknown: false };
  }
  if (EventSelectors instanceof Unresolved) return { text: `EventSelectors = ${EventSelectors.expression}`, unknown: true };
  if (Array.isArray(EventSelectors) && EventSelectors.length > 0) {
    let unknown = false;
    const records = EventSelectors.some((selector) => {
      if (!isPlainObject(selector)) return false;
      const management = switchValue(selector.IncludeManagementEvents);
      const readWrite = selector.ReadWriteType;
      if (management === 'unknown' || readWrite instanceof Unresolved) unknown = true;
      return management !== false && management !== 'unknown' && (readWrite === undefined || readWrite === 'All');
    });
    if (records) return undefined;
    return unknown
      ? { text: `its event selectors choose management events at deploy time (${describeValue(EventSelectors)})`, unknown: true }
      : { text: 'its event selectors exclude management events or keep only read or only write events', unknown: false };
  }
  return undefined;
}

function selectsManagementEvents(selector: Value): boolean {
  if (!isPlainObject(selector) || !Array.isArray(selector.FieldSelectors)) return false;
  let management = false;
  for (const field of selector.FieldSelectors) {
    if (!isPlainObject(field)) continue;
    if (field.Field === 'eventCategory' && Array.isArray(field.Equals) && field.Equals.includes('Management')) management = true;
    // Whether CloudTrail classifies invocation calls as read or write events is not documented: accept only selectors keeping both.
    if (field.Field === 'readOnly') return false;
  }
  return management;
}

import { STORE_TYPES, promptStores, tableTimeToLive } from '../../../analysis/prompt-stores';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule } from '../../rule';

/** Tables that hold conversations with a model expire their items (DynamoDB TTL) when the policy limits how long prompts are kept. */
export const conversationTableExpiry: ResourceRule = {
  id: 'LCG-RET-011',
  title: 'Conversation tables of code that calls Bedrock expire their items',
  category: 'retention',
  severity: 'error',
  rationale:
    'Chat history — prompts and answers — is personal data. A DynamoDB table without time to live keeps every conversation forever, beyond any storage limit the policy sets for prompt content (GDPR Art. 5(1)(e)).',
  remediation: 'Turn on time to live (TimeToLiveSpecification / ttl) with an attribute the code sets to at most the policy maximum after each write.',
  clauses: [CLAUSES.gdprStorageLimitation],
  resourceTypes: [STORE_TYPES.table, STORE_TYPES.globalTable, STORE_TYPES.tfTable],
  appliesUnder: (policy) => policy.maxContentLogRetentionDays !== undefined,
  check(resource, context) {
    const store = promptStores(context).find((candidate) => candidate.resource === resource);
    if (!store || store.kind !== 'conversations') return undefined;
    const ttl = tableTimeToLive(resource);
    const expected = `time to live on, with items expiring within ${context.policy.maxContentLogRetentionDays} days`;
    if (ttl.state === true) return COMPLIANT;
    if (ttl.state === 'unknown') {
      return [{ message: `Cannot verify that conversation table "${resource.id}" (${store.why}) expires its items: time to live is known only at deploy time.`, found: ttl.found, expected, fix: 'write the time-to-live setting literally', attribute: ttl.attribute, cannotVerify: true }];
    }
    return [{ message: `Conversation table "${resource.id}" (${store.why}) keeps every conversation forever: time to live is off.`, found: ttl.found, expected, fix: 'turn on time to live and have the code set the expiry attribute on each item', attribute: ttl.attribute }];
  },
};

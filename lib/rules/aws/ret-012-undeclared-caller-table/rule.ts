import { DATA_ROLE_TAG, STORE_TYPES, promptStores, tableTimeToLive } from '../../../analysis/prompt-stores';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule } from '../../rule';

/**
 * A table that code calling Bedrock uses, whose role the guardrail cannot
 * tell, either expires its items or is declared: a warning, so that the
 * question is asked instead of passed over.
 */
export const undeclaredCallerTable: ResourceRule = {
  id: 'LCG-RET-012',
  title: 'Tables that code calling Bedrock uses either expire their items or say what they hold',
  category: 'retention',
  severity: 'warning',
  rationale:
    'Code that calls a model often writes prompts, answers or summaries to the tables it uses. When a table\'s name and tags do not say what it holds, it may be a conversation store kept forever; the guardrail asks rather than assumes either way.',
  remediation: `Turn on time to live, or tag the table ${DATA_ROLE_TAG}=prompts (then it is judged as a conversation table) or ${DATA_ROLE_TAG}=none (it holds no prompt content).`,
  clauses: [CLAUSES.gdprStorageLimitation],
  resourceTypes: [STORE_TYPES.table, STORE_TYPES.globalTable, STORE_TYPES.tfTable],
  appliesUnder: (policy) => policy.maxContentLogRetentionDays !== undefined,
  check(resource, context) {
    const store = promptStores(context).find((candidate) => candidate.resource === resource);
    if (!store || store.kind !== 'possible-conversations') return undefined;
    const ttl = tableTimeToLive(resource);
    if (ttl.state === true) return COMPLIANT;
    return [
      {
        message:
          ttl.state === 'unknown'
            ? `Cannot verify that table "${resource.id}" (${store.why}) expires its items, and it does not say whether it holds prompt content.`
            : `Table "${resource.id}" is ${store.why}; it keeps items forever and does not say whether they include prompts or answers.`,
        found: `${ttl.found}; no ${DATA_ROLE_TAG} tag`,
        expected: `time to live on, or the tag ${DATA_ROLE_TAG} = prompts | none`,
        attribute: ttl.attribute,
        ...(ttl.state === 'unknown' ? { cannotVerify: true } : {}),
      },
    ];
  },
};

import { logWiring } from '../../../analysis/log-wiring';
import { AWS_TYPES } from '../../../analysis/resource-types';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

/**
 * Subscription filters and delivery streams that pass on logs holding
 * prompts or audit records deliver them to stores the app defines, whose
 * region, retention and encryption the other rules judge.
 */
export const logForwardingDestinations: ResourceRule = {
  id: 'LCG-LOG-016',
  title: 'Logs holding prompts or audit records are forwarded only to stores the app defines',
  category: 'logging',
  severity: 'error',
  rationale:
    'A subscription filter or Firehose stream copies every log event it receives — prompts and responses from invocation logs and the functions that call models, audit records from trails — to its destination. An HTTP endpoint (a SaaS log platform), Splunk, a search domain, a warehouse or a bucket outside the app keeps that copy where the guardrail cannot read its region, retention or encryption.',
  remediation: 'Forward to a bucket or log group defined in the app (with its retention and key), or acknowledge this finding citing the contract and retention of the destination.',
  clauses: [CLAUSES.gdprStorageLimitation, CLAUSES.gdprTransfers, CLAUSES.hipaaAuditControls],
  resourceTypes: [...AWS_TYPES.subscriptionFilters, ...AWS_TYPES.firehoses],
  check(resource, context) {
    const deliveries = logWiring(context).deliveries.filter((delivery) => delivery.via === resource && delivery.roles.length > 0);
    if (deliveries.length === 0) return undefined;
    const violations: Violation[] = [];
    for (const delivery of deliveries) {
      const to = delivery.to;
      if (!('kind' in to) || to.kind !== 'external') continue;
      const what = delivery.roles.includes('content') ? 'prompt and response content' : 'audit records';
      // A destination named only at deploy time cannot be read at all; one named literally is outside the app.
      violations.push(
        to.unknown
          ? {
              message: `Cannot verify where and how long ${resource.type} "${resource.id}" keeps the ${what} it forwards: its destination (${to.label}) is known only at deploy or plan time.`,
              found: `${delivery.attribute} = ${to.label}`,
              expected: 'a bucket or log group defined in the app',
              fix: 'name a store defined in the app as the destination',
              attribute: delivery.attribute,
              cannotVerify: true,
            }
          : {
              message: `${resource.type} "${resource.id}" forwards ${what} to ${to.label}, which the app does not define: where the copy is kept, for how long and under which key cannot be judged.`,
              found: `${delivery.attribute} = ${to.label}`,
              expected: 'a bucket or log group defined in the app',
              fix: 'forward to a store defined in the app, or acknowledge LCG-LOG-016 citing the contract and retention of the destination',
              attribute: delivery.attribute,
            },
      );
    }
    return violations.length > 0 ? violations : COMPLIANT;
  },
};

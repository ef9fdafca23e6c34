import { catalogEntryOf, declarationOf, PROVIDER_DECLARATION } from '../../../analysis/providers';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule } from '../../rule';

/**
 * What an external provider keeps of prompts and responses stays within the
 * policy: zero retention where the policy requires it, otherwise no longer
 * than the policy's maximum for content.
 */
export const providerRetention: ResourceRule = {
  id: 'LCG-PRV-005',
  title: 'External LLM providers keep prompts no longer than the policy allows',
  category: 'provider',
  severity: 'error',
  rationale:
    'Provider-side logs (abuse monitoring) are copies of prompts and responses outside the team\'s control. A policy that limits how long content is kept (GDPR Art. 5(1)(e), storage limitation) or requires zero retention applies to them too; zero retention is mostly granted on request, so only a declared approval shows it.',
  remediation: 'Obtain the provider\'s zero-retention approval and declare it (evidence.zeroRetention with its date and reference), or use an offering whose retention fits the policy.',
  clauses: [CLAUSES.gdprStorageLimitation],
  resourceTypes: [PROVIDER_DECLARATION],
  formats: ['cloudformation', 'terraform'],
  appliesUnder: (policy) => policy.requireZeroDataRetention || policy.maxContentLogRetentionDays !== undefined,
  check(resource, { policy }) {
    const declaration = declarationOf(resource);
    if (!declaration) return undefined;
    const { offering } = catalogEntryOf(declaration);
    const retention = offering.retention;
    if (retention.zeroRetention === 'default' || declaration.evidence.zeroRetention !== undefined) return COMPLIANT;
    const found = `${offering.name}: ${retention.description}; no evidence.zeroRetention`;
    const approval = retention.zeroRetention === 'by-approval' ? `obtain ${offering.name}'s zero-retention approval and declare it (evidence.zeroRetention { approved, reference })` : 'use an offering with zero retention';
    if (policy.requireZeroDataRetention) {
      if (retention.zeroRetention === 'unknown') return [{ message: `Cannot verify that ${offering.name} keeps nothing of what "${declaration.name}" sends: whether it offers zero retention is unknown, and none is declared.`, found, expected: 'zero retention (the policy sets requireZeroDataRetention)', fix: 'declare the zero-retention approval you hold', attribute: 'evidence.zeroRetention', cannotVerify: true }];
      return [{ message: `${offering.name} keeps what "${declaration.name}" sends, but the policy requires zero retention.`, found, expected: 'zero retention (the policy sets requireZeroDataRetention)', fix: approval, attribute: 'evidence.zeroRetention' }];
    }
    const max = policy.maxContentLogRetentionDays!;
    if (retention.days !== null && retention.days <= max) return COMPLIANT;
    if (retention.days === null) return [{ message: `Cannot verify how long ${offering.name} keeps what "${declaration.name}" sends: the vendor's pages did not show it.`, found, expected: `content kept at most ${max} days`, fix: 'declare the zero-retention approval you hold, or use an offering whose retention is known', attribute: 'evidence.zeroRetention', cannotVerify: true }];
    return [{ message: `${offering.name} keeps what "${declaration.name}" sends for ${retention.days} days, longer than the policy's ${max}.`, found, expected: `content kept at most ${max} days`, fix: approval, attribute: 'evidence.zeroRetention' }];
  },
};

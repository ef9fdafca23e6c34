import { SENSITIVE_CLASSIFICATIONS, SOC2_REPORT_MONTHS, VENDOR_REVIEW_DAYS, addDays, addMonths, catalogEntryOf, declarationOf, PROVIDER_DECLARATION } from '../../../analysis/providers';
import { CLAUSES } from '../../../policy/frameworks';
import { COMPLIANT, ResourceRule, Violation } from '../../rule';

/**
 * The evidence a team holds about an external provider stays fresh: under
 * SOC 2, a Type II report whose period ended within the last 12 months, or a
 * bridge letter that covers today; for personal or confidential data, a
 * vendor review within the last 90 days. Judged at the run's date.
 */
export const providerEvidence: ResourceRule = {
  id: 'LCG-PRV-006',
  title: 'The evidence about external LLM providers is current',
  category: 'provider',
  severity: 'error',
  rationale:
    'An auditor relies on a provider\'s SOC 2 Type II report for about twelve months after its observation period ends; between reports the provider issues a bridge letter. A provider that receives personal or confidential data is reviewed regularly (every 90 days for LLM vendors). Evidence past those dates shows nothing about the provider today.',
  remediation: 'Obtain the provider\'s current SOC 2 report (or its bridge letter) and review the provider again; declare their dates in evidence.soc2, evidence.bridgeLetter and evidence.vendorReview.',
  clauses: [CLAUSES.soc2VendorManagement, CLAUSES.gdprProcessors],
  resourceTypes: [PROVIDER_DECLARATION],
  formats: ['cloudformation', 'terraform'],
  check(resource, { policy, today }) {
    const declaration = declarationOf(resource);
    if (!declaration) return undefined;
    const { offering } = catalogEntryOf(declaration);
    if (offering.attestations.status === 'not-applicable') return COMPLIANT;
    const violations: Violation[] = [];
    const { soc2, bridgeLetter, vendorReview } = declaration.evidence;
    if (policy.frameworks.includes('soc2')) {
      const reportValid = soc2 !== undefined && today <= addMonths(soc2.periodEnd, SOC2_REPORT_MONTHS);
      const bridged = bridgeLetter !== undefined && bridgeLetter.date <= today && today <= bridgeLetter.coversUntil;
      if (!reportValid && !bridged && soc2 === undefined && bridgeLetter === undefined && offering.attestations.status === 'unknown') {
        violations.push({
          message: `Cannot verify that ${offering.name} holds a current SOC 2 Type II report for "${declaration.name}": its pages did not show one, and none is declared.`,
          found: 'no evidence.soc2',
          expected: `a SOC 2 Type II report whose period ended on or after ${addMonths(today, -SOC2_REPORT_MONTHS)}, or a bridge letter that covers ${today}`,
          fix: `ask ${offering.name} for its SOC 2 Type II report (or equivalent attestation) and declare its dates`,
          attribute: 'evidence.soc2',
          cannotVerify: true,
        });
      } else if (!reportValid && !bridged) {
        violations.push({
          message:
            soc2 === undefined
              ? `No SOC 2 Type II report of ${offering.name} is declared for "${declaration.name}".`
              : `The SOC 2 report declared for "${declaration.name}" went stale on ${addMonths(soc2.periodEnd, SOC2_REPORT_MONTHS)} (${SOC2_REPORT_MONTHS} months after its period ended on ${soc2.periodEnd})${bridgeLetter ? `, and its bridge letter covers only until ${bridgeLetter.coversUntil}` : ', and no bridge letter covers today'}.`,
          found: soc2 === undefined ? 'no evidence.soc2' : `evidence.soc2.periodEnd = ${soc2.periodEnd}${bridgeLetter ? `, evidence.bridgeLetter.coversUntil = ${bridgeLetter.coversUntil}` : ''}`,
          expected: `a SOC 2 Type II report whose period ended on or after ${addMonths(today, -SOC2_REPORT_MONTHS)}, or a bridge letter that covers ${today}`,
          fix: `obtain ${offering.name}'s current SOC 2 Type II report or bridge letter and declare its dates`,
          attribute: 'evidence.soc2',
        });
      }
    }
    if (SENSITIVE_CLASSIFICATIONS.includes(declaration.dataClassification) && (vendorReview === undefined || today > addDays(vendorReview.date, VENDOR_REVIEW_DAYS))) {
      violations.push({
        message:
          vendorReview === undefined
            ? `"${declaration.name}" sends ${declaration.dataClassification} data to ${offering.name}, and no vendor review is declared.`
            : `The last review of ${offering.name} for "${declaration.name}" (${vendorReview.date}) is older than ${VENDOR_REVIEW_DAYS} days: it went stale on ${addDays(vendorReview.date, VENDOR_REVIEW_DAYS)}.`,
        found: vendorReview === undefined ? 'no evidence.vendorReview' : `evidence.vendorReview.date = ${vendorReview.date}`,
        expected: `a vendor review on or after ${addDays(today, -VENDOR_REVIEW_DAYS)}`,
        fix: `review ${offering.name} again (posture, subprocessors, incidents) and declare the date and reviewer`,
        attribute: 'evidence.vendorReview',
      });
    }
    return violations.length > 0 ? violations : COMPLIANT;
  },
};

/**
 * Acknowledgements recorded in an app's construct tree, as both gates read
 * them: an id `llm-guardrail::<rule id>` on a construct, with a reason that
 * ends in `(expires YYYY-MM-DD)`. Each becomes two engine suppressions (the
 * construct itself and everything under it); a malformed one becomes an
 * LCG-SUP-004 finding that no acknowledgement can waive.
 */
import { InputError } from '../core/errors';
import { Finding, Report, SUPPRESSION_FINDING_TITLES, SUPPRESSION_MALFORMED, SUPPRESSION_UNUSED } from '../engine/evaluate';
import { SuppressionSpec, validateSuppression } from '../policy/policy';

/** Prefix of the acknowledgement ids that belong to this guardrail. */
export const ACKNOWLEDGEMENT_PREFIX = 'llm-guardrail::';

/** One acknowledgement as the framework recorded it. */
export interface RecordedAcknowledgement {
  /** The construct it was recorded on. */
  readonly constructPath: string;
  /** `llm-guardrail::<rule id>`. */
  readonly id: string;
  /** The reason as written, with its `(expires YYYY-MM-DD)`. */
  readonly reason: unknown;
}

export interface CollectedAcknowledgement {
  readonly constructPath: string;
  /** The acknowledgement as engine suppressions: for the construct itself and for everything under it. */
  readonly specs: readonly SuppressionSpec[];
}

/** The reason text a gate records: the reason, then the expiry the gate honours. */
export function acknowledgementReason(reason: string, expires: string): string {
  return `${reason} (expires ${expires})`;
}

/**
 * Valid acknowledgements as suppressions, and an LCG-SUP-004 error finding for
 * each malformed one. `acknowledgeCall` names the gate's own method in the fix
 * (`ComplianceGate.acknowledge`).
 */
export function readAcknowledgements(recorded: readonly RecordedAcknowledgement[], acknowledgeCall: string): { valid: CollectedAcknowledgement[]; invalid: Finding[] } {
  const valid: CollectedAcknowledgement[] = [];
  const invalid: Finding[] = [];
  const fail = (message: string, fix: string): never => {
    throw new InputError(message, fix);
  };
  for (const { constructPath, id, reason } of recorded) {
    if (!id.startsWith(ACKNOWLEDGEMENT_PREFIX)) continue;
    const ruleId = id.slice(ACKNOWLEDGEMENT_PREFIX.length);
    const text = typeof reason === 'string' ? reason : '';
    const expires = /\(?\bexpires:?\s+(\d{4}-\d{2}-\d{2})\)?/.exec(text);
    try {
      if (!expires) fail(`acknowledgement of ${id} at "${constructPath}" has no expiry date`, `use ${acknowledgeCall}(scope, { ruleId, reason, expires: 'YYYY-MM-DD' }), or end the reason with "(expires YYYY-MM-DD)"`);
      const base = { ruleId, reason: text.replace(expires![0], '').trim(), expires: expires![1] };
      const where = `acknowledgement at "${constructPath}"`;
      valid.push({
        constructPath,
        specs: [validateSuppression({ ...base, resource: constructPath }, where, fail), validateSuppression({ ...base, resource: `${constructPath}/*` }, where, fail)],
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const fix = error.fix ?? 'correct the acknowledgement';
      const found = JSON.stringify({ id, reason: text });
      invalid.push({
        ruleId: SUPPRESSION_MALFORMED,
        title: SUPPRESSION_FINDING_TITLES[SUPPRESSION_MALFORMED],
        severity: 'error',
        category: 'provider',
        resource: { id: constructPath, type: 'acknowledgement', path: constructPath, stack: '', file: '' },
        message: `${error.message}: an acknowledgement without a valid rule id, reason and expiry cannot be honoured. Found: ${found}. Expected: a rule id, a reason and an expiry date. Fix: ${fix}`,
        found,
        expected: 'a rule id, a reason and an expiry date',
        fix,
        frameworks: [],
        cannotVerify: false,
        acknowledgement: { ruleId, resource: constructPath },
      });
    }
  }
  return { valid, invalid };
}

/**
 * Each acknowledgement becomes two suppressions, of which at most one
 * matches: the other's "matches no finding" warning is dropped when its twin matched.
 */
export function withoutTwinWarnings(findings: readonly Finding[], acknowledgements: readonly CollectedAcknowledgement[], report: Report): Finding[] {
  const key = (ruleId: string, resource: string): string => `${ruleId}\u0000${resource}`;
  const matched = new Set(report.suppressions.filter((status) => status.matched > 0).map((status) => key(status.ruleId, status.resource)));
  const twinMatched = new Set<string>();
  for (const { specs } of acknowledgements) {
    if (specs.some((spec) => matched.has(key(spec.ruleId, spec.resource)))) for (const spec of specs) twinMatched.add(key(spec.ruleId, spec.resource));
  }
  return findings.filter((finding) => finding.ruleId !== SUPPRESSION_UNUSED || !finding.acknowledgement || !twinMatched.has(key(finding.acknowledgement.ruleId, finding.acknowledgement.resource)));
}

/** A report with findings replaced and the counts recomputed. */
export function withFindings(report: Report, findings: readonly Finding[]): Report {
  return {
    ...report,
    findings,
    summary: {
      ...report.summary,
      errors: findings.filter((finding) => finding.severity === 'error').length,
      warnings: findings.filter((finding) => finding.severity === 'warning').length,
      cannotVerify: findings.filter((finding) => finding.cannotVerify).length,
    },
  };
}

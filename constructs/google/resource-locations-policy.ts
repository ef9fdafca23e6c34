import { OrgPolicyPolicy } from '@cdktf/provider-google/lib/org-policy-policy';
import { Construct } from 'constructs';
import { CdktfGuardrail } from '../../aspects/cdktf';
import { locationCodes, lookupLocation } from '../../lib/catalogs';
import { judgeLocation } from '../../lib/analysis/locations';
import { GuardrailPolicy } from '../../lib/policy/policy';

/** The organization policy constraint that restricts where new resources may be created. */
export const RESOURCE_LOCATIONS_CONSTRAINT = 'gcp.resourceLocations';

export interface ResourceLocationsPolicyProps {
  /** The project the constraint applies to (id or number). */
  readonly project: string;
  /**
   * The policy whose residency the allowed locations come from.
   * @default - the `llm-guardrail:policy` context value, else the one in ./cdktf.json
   */
  readonly policy?: GuardrailPolicy;
  /**
   * Allowed values of the constraint, e.g. `in:europe-west4-locations`.
   * @default - every region (`in:<region>-locations`), multi-region and dual-region of the catalog inside the policy's residency
   */
  readonly allowedValues?: string[];
}

/**
 * The `gcp.resourceLocations` organization policy on a project: Google Cloud
 * refuses to create location-bound resources outside the allowed locations,
 * a guard rail below Terraform for anything created by hand or by other
 * tools. It applies to new resources only and is not a data-residency
 * commitment by itself.
 */
export class ResourceLocationsPolicy extends Construct {
  readonly orgPolicy: OrgPolicyPolicy;
  /** The values the constraint allows. */
  readonly allowedValues: string[];

  constructor(scope: Construct, id: string, props: ResourceLocationsPolicyProps) {
    super(scope, id);
    const policy = CdktfGuardrail.policyOf(this, props.policy);
    this.allowedValues = props.allowedValues ?? allowedLocationValues(policy);
    if (!policy.constrainsResidency && props.allowedValues === undefined) {
      throw new Error(`${this.node.path}: policy "${policy.name}" sets no residency, so there are no locations to restrict to (fix: pass allowedValues, or use a policy with a jurisdiction or google regions)`);
    }
    if (this.allowedValues.length === 0) {
      throw new Error(`${this.node.path}: no Google Cloud location lies inside ${policy.describeResidency('google')} (fix: pass allowedValues, or change the policy)`);
    }
    this.orgPolicy = new OrgPolicyPolicy(this, 'Policy', {
      name: `projects/${props.project}/policies/${RESOURCE_LOCATIONS_CONSTRAINT}`,
      parent: `projects/${props.project}`,
      spec: { rules: [{ values: { allowedValues: this.allowedValues } }] },
    });
  }
}

/**
 * Constraint values for every catalog location the policy allows: regions as
 * their value group (`in:europe-west4-locations`, which includes the zones),
 * multi- and dual-regions by name. `global` is never inside a jurisdiction.
 */
export function allowedLocationValues(policy: GuardrailPolicy): string[] {
  const values: string[] = [];
  for (const code of locationCodes('google')) {
    const info = lookupLocation('google', code);
    if (!info || info.kind === 'global' || judgeLocation(policy, 'google', code).status !== 'allowed') continue;
    values.push(info.kind === 'region' ? `in:${code}-locations` : code);
  }
  return values;
}

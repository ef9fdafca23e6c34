/**
 * The aws-cdk-lib release the Bedrock constructs need (Node.js 24 for the
 * logging handler, the Bedrock L1 resources they use). The gate alone
 * (`llm-compliance-guardrail/cdk`) works with any release that has policy
 * validation plugins (2.71.0 and later).
 */
export const MINIMUM_AWS_CDK_LIB_FOR_CONSTRUCTS = '2.260.0';

/** Throws one clear line when the installed aws-cdk-lib is older than the constructs need. */
export function requireAwsCdkLib(installed: string = (require('aws-cdk-lib/package.json') as { version: string }).version): void {
  const parts = (version: string): number[] => version.split(/[.-]/).slice(0, 3).map((part) => Number(part) || 0);
  const [have, need] = [parts(installed), parts(MINIMUM_AWS_CDK_LIB_FOR_CONSTRUCTS)];
  const older = have[0] < need[0] || (have[0] === need[0] && (have[1] < need[1] || (have[1] === need[1] && have[2] < need[2])));
  if (older) {
    throw new Error(
      `llm-compliance-guardrail/aws needs aws-cdk-lib ${MINIMUM_AWS_CDK_LIB_FOR_CONSTRUCTS} or later, found ${installed} (fix: upgrade aws-cdk-lib, or use the gate alone from llm-compliance-guardrail/cdk, which works with 2.71.0 and later)`,
    );
  }
}

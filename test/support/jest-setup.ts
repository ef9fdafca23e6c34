/**
 * aws-cdk-lib validates every template against the CloudFormation resource
 * schemas at the first synthesis of each process (about 7 s here), and every
 * jest test file is a new module registry that pays it again. The tests of
 * the gate, the rules and the documentation do not test that validation, so
 * it is off by default; test/aws/constructs.test.ts turns it on and asserts
 * that our constructs pass it, and the real `cdk synth` of the example app
 * (test/e2e/cdk-cli.test.ts) runs with it as users do.
 */
process.env.CDK_VALIDATION ??= 'false';

/**
 * aws-cdk-lib prints its policy-validation report to the console at every
 * synthesis a gate runs in: hundreds of ERROR lines from tests that pass,
 * which read like a failure in the test log. The tests assert the gate's
 * report instead; these lines are dropped, everything else is printed.
 */
const VALIDATION_OUTPUT = /Performing Policy Validations|Validation Report|Policy Validation Successful|Validation failed\. See the validation report|\(llm-guardrail\)|^\s*Suggested fix:|^\s*Acknowledge with 'llm-guardrail::|A copy of this report can be found in/m;
for (const method of ['error', 'log', 'warn'] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]): void => {
    if (args.some((arg) => typeof arg === 'string' && VALIDATION_OUTPUT.test(arg))) return;
    original(...args);
  };
}

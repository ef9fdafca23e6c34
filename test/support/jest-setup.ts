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

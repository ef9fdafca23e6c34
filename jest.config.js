const os = require('os');

/**
 * Tests are transpiled by SWC only; type-checking is the separate `tsc` step of `npm test`.
 * One worker per CPU: jest's default leaves one CPU to its parent, which here only waits,
 * while most end-to-end time is spent in child processes the workers wait for.
 */
module.exports = {
  maxWorkers: Math.max(2, os.availableParallelism ? os.availableParallelism() : os.cpus().length),
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
};

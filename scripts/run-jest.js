#!/usr/bin/env node
// Runs jest and closes with one plain summary line ("N passed, N failed") that
// CI dashboards and log readers can pick up whatever reporter jest uses.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lcg-jest-')), 'results.json');
const jest = require.resolve('jest/bin/jest');
const run = spawnSync(process.execPath, [jest, '--json', `--outputFile=${resultFile}`, ...process.argv.slice(2)], { stdio: 'inherit' });
let summary = 'jest wrote no results';
try {
  const results = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  summary = `${results.numPassedTests} passed, ${results.numFailedTests} failed`;
  if (results.numTotalTests === 0) {
    console.error('no tests ran');
    process.exit(1);
  }
} catch {
  // fall through with the exit code jest gave
}
console.log(summary);
process.exit(run.status ?? 1);

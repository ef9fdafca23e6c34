#!/usr/bin/env node
// `npm test`: the build, the type-check and the lint, side by side (none needs
// another's output), then every jest test (the end-to-end tier runs the build).
// Each check's output is printed whole when it ends, so that logs do not
// interleave; the first failure stops the run with its exit code.
const { spawn, spawnSync } = require('child_process');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const CHECKS = [
  ['build', ['run', '-s', 'build']],
  ['typecheck', ['run', '-s', 'typecheck']],
  ['lint', ['run', '-s', 'lint']],
];

function check([name, args]) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('npm', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ name, status: 1, output: `${error.message}\n`, seconds: 0 }));
    child.on('close', (status, signal) => resolve({ name, status: status ?? (signal ? 1 : 0), output, seconds: (Date.now() - started) / 1000 }));
  });
}

async function main() {
  const results = await Promise.all(CHECKS.map(check));
  for (const result of results) {
    process.stdout.write(`> npm run ${result.name} (${result.seconds.toFixed(1)} s): ${result.status === 0 ? 'ok' : `exit ${result.status}`}\n`);
    if (result.output) process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
  }
  const failed = results.find((result) => result.status !== 0);
  if (failed) {
    console.error(`npm test stopped: npm run ${failed.name} exited ${failed.status}`);
    process.exit(failed.status);
  }
  const jest = spawnSync(process.execPath, [path.join(__dirname, 'run-jest.js'), ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
  process.exit(jest.status ?? 1);
}

main();

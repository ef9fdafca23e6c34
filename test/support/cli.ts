/**
 * Runs the compiled `llm-guardrail` binary the way a user or CI does: a
 * separate Node process, real arguments, real exit code. The binary is the
 * build output, so `npm test` builds before running jest.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { run, runAsync } from '../../lib/cli';

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
export const CLI_PATH = path.join(REPOSITORY_ROOT, 'dist', 'bin', 'llm-guardrail.js');

export interface CliResult {
  /** Exit code; null when the process was killed (e.g. by the timeout). */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Working directory. @default the repository root */
  readonly cwd?: string;
  /** Extra environment variables. @default - none */
  readonly env?: { readonly [name: string]: string };
}

/** Fails with the fix when the binary has not been built. */
export function assertCliBuilt(): void {
  if (!fs.existsSync(CLI_PATH)) {
    throw new Error(`${path.relative(REPOSITORY_ROOT, CLI_PATH)} is missing: these tests run the compiled CLI; build it first with \`npm run build\` (or run \`npm test\`, which builds)`);
  }
}

/** Spawns `node dist/bin/llm-guardrail.js <args>` and waits for it. */
export function runCli(args: readonly string[], options: CliOptions = {}): CliResult {
  assertCliBuilt();
  const environment: { [name: string]: string | undefined } = { ...process.env, ...options.env };
  // The CLI's own debug switch would add a stack trace that the tests must not see.
  delete environment.LLM_GUARDRAIL_DEBUG;
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd ?? REPOSITORY_ROOT,
    env: environment,
    encoding: 'utf8',
    // A hung CLI must fail the test, not the whole run.
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs the CLI in this process (`lib/cli`'s `run`), with its output captured:
 * the same commands, exit codes and messages as the binary, without a process
 * start per case. The real-process tests above stay for what only a process shows.
 */
export function runCliInProcess(args: readonly string[], options: CliOptions & { readonly isTty?: boolean } = {}): CliResult {
  let stdout = '';
  let stderr = '';
  const status = run(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd: options.cwd ?? REPOSITORY_ROOT,
    isTty: options.isTty ?? false,
    env: { ...(options.env ?? {}) },
  });
  return { status, stdout, stderr };
}

/** {@link runCliInProcess} through `runAsync`, as the binary runs: directories of .tf files and the commands that talk to AWS. */
export async function runCliAsyncInProcess(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const status = await runAsync(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd: options.cwd ?? REPOSITORY_ROOT,
    isTty: false,
    env: { ...(options.env ?? {}) },
  });
  return { status, stdout, stderr };
}

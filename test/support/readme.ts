/**
 * The README as a new user reads it: its fenced code blocks, the commands it
 * shows (in `sh` blocks and in inline code that starts with `npx `), and a
 * workspace that holds what a fresh clone holds, where those commands run.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tempDir } from './synth';

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
export const README_FILE = path.join(REPOSITORY_ROOT, 'README.md');

export interface CodeBlock {
  readonly language: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The nearest heading above the block. */
  readonly heading: string;
}

/** Every fenced block of a Markdown text, with its language and the heading it sits under. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let heading = '';
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const fence = /^```(\S*)\s*$/.exec(line);
    if (!fence) {
      if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '');
      continue;
    }
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !/^```\s*$/.test(lines[index]); index++) body.push(lines[index]);
    if (index >= lines.length) throw new Error(`README.md:${start + 1}: code block is never closed`);
    blocks.push({ language: fence[1], code: `${body.join('\n')}\n`, line: start + 1, heading });
  }
  return blocks;
}

/** Markdown with its fenced blocks removed (for reading inline code in prose). */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```\s*$/gm, '');
}

/**
 * The commands a reader is told to run: each line of every `sh` block (a
 * trailing `# comment` removed, `a && b` split), and every inline code span of
 * the prose that starts with `npx `. Each once, in order of appearance.
 */
export function readmeCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of codeBlocks(markdown).filter((candidate) => candidate.language === 'sh')) {
    // A line ending in a backslash continues on the next; a line starting with # is a comment.
    for (const line of block.code.replace(/\\\n\s*/g, '').split('\n')) {
      const command = line.replace(/(^|\s+)#.*$/, '').trim();
      if (command) commands.push(...command.split(/\s+&&\s+/));
    }
  }
  for (const match of prose(markdown).matchAll(/`(npx [^`]+)`/g)) commands.push(match[1].replace(/\s+/g, ' '));
  return [...new Set(commands)];
}

/** What `npm run build` compiles (tsconfig.build.json), and the file every build rewrites. */
const BUILD_INPUTS = ['lib', 'bin/llm-guardrail.ts', 'constructs', 'aspects', 'tsconfig.json', 'tsconfig.build.json'];
const BUILT_MARKER = path.join(REPOSITORY_ROOT, 'dist', 'bin', 'llm-guardrail.js');

function newestInput(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return /\.(ts|json)$/.test(file) ? stat.mtimeMs : 0;
  if (/[\\/]examples$/.test(file)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(file)) newest = Math.max(newest, newestInput(path.join(file, entry)));
  return newest;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The repository's dist/ as `npm ci` leaves it (its prepare script builds the
 * package): built again here only when a source is newer than the last build,
 * by one test process at a time (the others wait for it).
 */
export function ensureBuilt(): string {
  const fresh = () => fs.existsSync(BUILT_MARKER) && fs.statSync(BUILT_MARKER).mtimeMs >= Math.max(...BUILD_INPUTS.map((input) => newestInput(path.join(REPOSITORY_ROOT, input))));
  if (fresh()) return path.dirname(path.dirname(BUILT_MARKER));
  const lock = path.join(os.tmpdir(), `lcg-build-${Buffer.from(REPOSITORY_ROOT).toString('hex').slice(-40)}.lock`);
  for (let waited = 0; ; waited += 200) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (waited > 300_000) throw new Error(`another test process holds ${lock} for over 5 minutes; remove it if no build is running`);
      sleep(200);
    }
  }
  try {
    if (!fresh()) {
      const build = spawnSync('npm', ['run', 'build'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
    }
  } finally {
    fs.rmdirSync(lock);
  }
  return path.dirname(path.dirname(BUILT_MARKER));
}

/**
 * A workspace holding the repository's files as a clone has them after
 * `npm ci` (tracked and new, not ignored, and the dist/ its prepare script
 * builds), with the repository's node_modules linked in, so that
 * `npx llm-guardrail`, `npx cdk` and `npx tsx` resolve as they do there.
 */
export function cloneWorkspace(prefix: string, exclude: RegExp = /^(test|bench)\//): string {
  const workspace = tempDir(prefix);
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed in ${REPOSITORY_ROOT}: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (exclude.test(file) || !fs.existsSync(path.join(REPOSITORY_ROOT, file))) continue;
    fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    fs.copyFileSync(path.join(REPOSITORY_ROOT, file), path.join(workspace, file));
  }
  fs.cpSync(ensureBuilt(), path.join(workspace, 'dist'), { recursive: true });
  linkNodeModules(workspace);
  return workspace;
}

/** Links the repository's node_modules into a directory (a project with the dependencies installed). */
export function linkNodeModules(directory: string): void {
  fs.symlinkSync(path.join(REPOSITORY_ROOT, 'node_modules'), path.join(directory, 'node_modules'), 'dir');
}

/**
 * Environment of a user's shell: no AWS credential lookups (none exist here),
 * no test mode, no colour. `npx llm-guardrail` in a clone installs the project
 * into npx's cache, which runs its prepare script (the build) once per clone
 * directory; the workspace already holds that build, so lifecycle scripts are
 * off (they would rebuild the same dist/ in every new workspace).
 */
export function userEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', CDK_DISABLE_VERSION_CHECK: '1', npm_config_ignore_scripts: 'true', ...extra };
  for (const name of ['NODE_ENV', 'JEST_WORKER_ID', 'FORCE_COLOR', 'AWS_PROFILE', 'CDK_OUTDIR', 'CDK_CONTEXT_JSON']) delete env[name];
  return env;
}

export interface ShellResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command line with `sh -c` as a user types it, without blocking the
 * event loop (a local HTTP server in the test process must keep answering).
 */
export function shell(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** A JavaScript stack frame (`    at f (file.js:1:2)`): what a user must never be shown. */
export const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

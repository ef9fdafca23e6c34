/** What a CLI command may touch of its process: output streams, the working directory and the environment. */
export interface CliIo {
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** The working directory relative paths (inputs, policy files, `--output`) are resolved against. */
  readonly cwd: string;
  /** Whether standard output is a terminal (text reports are coloured then, unless NO_COLOR is set). */
  readonly isTty: boolean;
  /** Environment variables the commands read (NO_COLOR). */
  readonly env: { readonly [name: string]: string | undefined };
}

/** Exit codes: distinct, documented in the README. */
export const EXIT = {
  ok: 0,
  /** `check`: error-level findings; `docs --check`: the committed copy is stale. */
  findings: 1,
  /** The input, policy or arguments cannot be used. */
  unusableInput: 2,
  /** A bug: reported as one line, with the detail behind LLM_GUARDRAIL_DEBUG. */
  internal: 3,
} as const;

/** The real process's streams, directory and environment. */
export function processIo(): CliIo {
  // A reader that stops early (`| head`) closes the pipe: that ends the command quietly, not with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    isTty: process.stdout.isTTY === true,
    env: process.env,
  };
}

/** Whether text output is coloured: FORCE_COLOR decides when set (0 off, anything else on); else a terminal without NO_COLOR. */
export function colorWanted(io: CliIo): boolean {
  const forced = io.env.FORCE_COLOR;
  if (forced !== undefined && forced !== '') return forced !== '0' && forced !== 'false';
  return io.isTty && !io.env.NO_COLOR;
}


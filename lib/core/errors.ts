/**
 * An input the guardrail cannot use: a missing path, broken JSON, an unknown
 * policy key. Reported as one line (what, where, how to fix) and exit code 2,
 * never as a stack trace.
 */
export class InputError extends Error {
  constructor(
    /** What is wrong and where. */
    message: string,
    /** How to fix it. */
    public readonly fix?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** The single line shown to users. */
  get line(): string {
    return this.fix ? `${this.message} (fix: ${this.fix})` : this.message;
  }
}

/**
 * Text from an input (construct paths, resource names, values) made safe to
 * print on one line of a terminal or a CI log: control characters (ESC
 * sequences that recolour or rewrite lines, carriage returns and newlines that
 * forge a log line or a CI workflow command), Unicode line separators and
 * bidirectional overrides (which make a line read differently from what it
 * says) are shown as `\u{…}` escapes instead of being written raw.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** `text` with every character that would act on the terminal instead of being shown replaced by its escape. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapedCharacter);
}

/** How one character that must not be written raw is shown: `\u{1b}`. */
export function escapedCharacter(character: string): string {
  return `\\u{${character.codePointAt(0)!.toString(16)}}`;
}

/** `a` or `an` before a word or identifier, by its first letter (`an AWS::Logs::LogGroup`, `an aws_s3_bucket`, `a google_kms_crypto_key`). */
export function withArticle(text: string): string {
  return `${/^[aeiou]/i.test(text) ? 'an' : 'a'} ${text}`;
}

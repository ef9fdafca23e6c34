/**
 * Parsing JSON text from a user's file with errors that name the place, never
 * the content: the JavaScript parser quotes the first characters of the text
 * ("root:x:0:0"...), which would put a secret file's first bytes into a CI log
 * when someone passes the wrong path.
 */
import { printable } from './printable';

/** `JSON.parse(text)`; on a syntax error, `undefined` and what is wrong, by line and column, without quoting the text. */
export function parseJsonText(text: string): { value: unknown; problem?: undefined } | { value?: undefined; problem: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { problem: jsonProblem((error as Error).message, text) };
  }
}

function jsonProblem(message: string, text: string): string {
  if (/Unexpected end of JSON input/.test(message)) return 'it ends early (truncated?)';
  const position = /at position (\d+)/.exec(message);
  const token = /^Unexpected token '(.)'/u.exec(message);
  // Node names the position for most errors; for an unexpected token, find the first offending character.
  const offset = position ? Number(position[1]) : token ? firstUnexpected(text) : undefined;
  const what = token ? `unexpected character '${printable(token[1])}'` : describe(message);
  return offset === undefined ? what : `${what} at ${lineAndColumn(text, offset)}`;
}

/** The parser's own wording without the quoted excerpt and position: "Expected property name or '}'". */
function describe(message: string): string {
  const bare = message
    .replace(/,?\s*".*"(\.\.\.)? is not valid JSON$/s, '')
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/\s*at position \d+.*$/s, '')
    .split('\n')[0];
  return printable(bare.charAt(0).toLowerCase() + bare.slice(1)) || 'not valid JSON';
}

/** Texts up to this size are searched for the place of an unexpected character (the parser does not say where). */
const LOCATE_LIMIT = 1024 * 1024;

/**
 * Where an unexpected character is: the shortest prefix the parser rejects
 * for a reason other than ending early. Once a prefix is rejected so is every
 * longer one, so a binary search finds it.
 */
function firstUnexpected(text: string): number | undefined {
  if (text.length > LOCATE_LIMIT) return undefined;
  const rejected = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const message = (error as Error).message;
      // Ending early shows as "Unexpected end" or as an error at the very end of the prefix.
      return !/Unexpected end of JSON input/.test(message) && /at position (\d+)/.exec(message)?.[1] !== String(length);
    }
  };
  if (!rejected(text.length)) return undefined;
  let low = 0;
  let high = text.length;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (rejected(middle)) high = middle;
    else low = middle;
  }
  return high - 1;
}

function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

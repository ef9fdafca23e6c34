/**
 * Writing the documentation files as one set: each file is written in full
 * to a temporary file beside its target, then all are renamed into place
 * while holding a lock, so that a reader (or a second run writing into the
 * same directory at the same time) never sees a half-written file or a mix
 * of files from two runs; a run that fails part-way leaves the previous set.
 * A handful of system calls per set: the gates write one set per stack.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../core/errors';
import type { TextSink } from './markdown';

/** The lock a run holds while it renames its files into place. */
export const LOCK_NAME = '.llm-guardrail-docs.lock';
/** A lock older than this was left by a run that died: taken over. */
const STALE_LOCK_MS = 60_000;
/** How long a run waits for another to finish renaming. */
const LOCK_WAIT_MS = 30_000;

/** Characters buffered before a write: large enough to keep system calls few, small enough to stay out of the old generation. */
const WRITE_BUFFER_CHARACTERS = 64 * 1024;

export interface FileSetOptions {
  /**
   * Whose directory it is. `shared` (`llm-guardrail docs --out`): each file
   * is written beside its target and renamed into place under the directory's
   * lock, so that two runs writing at once never leave a mix of their files
   * and a failed run leaves the previous set. `owned`: the directory is the
   * output of this synthesis (two syntheses into one directory would clobber
   * each other's templates anyway), so the files are written in place, as the
   * framework writes its templates — on this kind of file system a rename
   * costs as much as writing the file.
   * @default 'shared'
   */
  readonly directory?: 'shared' | 'owned';
}

/** Writes each named file into `directory` (created when missing) as one set; returns the paths written. */
export function writeFileSet(directory: string, files: readonly (readonly [name: string, write: (emit: TextSink) => void])[], options: FileSetOptions = {}): string[] {
  fs.mkdirSync(directory, { recursive: true });
  if (options.directory === 'owned') {
    return files.map(([name, write]) => {
      const target = path.join(directory, name);
      writeStreamed(target, write);
      return target;
    });
  }
  // In the target directory, so that renaming is atomic (one file system); named so that no other run picks the same.
  const run = `${process.pid}-${(++setsWritten).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const written: string[] = [];
  try {
    for (const [name, write] of files) {
      const temporary = path.join(directory, `.${name}.${run}.tmp`);
      written.push(temporary);
      writeStreamed(temporary, write);
    }
    const rename = (): string[] =>
      files.map(([name], index) => {
        const target = path.join(directory, name);
        fs.renameSync(written[index], target);
        return target;
      });
    return withLock(directory, rename);
  } catch (error) {
    for (const temporary of written) fs.rmSync(temporary, { force: true });
    throw error;
  }
}

let setsWritten = 0;

function writeStreamed(target: string, write: (emit: TextSink) => void): void {
  const descriptor = fs.openSync(target, 'w');
  try {
    let parts: string[] = [];
    let buffered = 0;
    const flush = (): void => {
      if (parts.length > 0) fs.writeSync(descriptor, parts.join(''));
      parts = [];
      buffered = 0;
    };
    write((text) => {
      parts.push(text);
      buffered += text.length;
      if (buffered >= WRITE_BUFFER_CHARACTERS) flush();
    });
    flush();
  } finally {
    fs.closeSync(descriptor);
  }
}

/** Runs `action` holding the directory's lock (a directory: creating one is atomic); waits for another holder, takes over a stale lock. */
function withLock<T>(directory: string, action: () => T): T {
  const lock = path.join(directory, LOCK_NAME);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (isStale(lock)) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new InputError(`${lock}: another run has been writing documentation into ${directory} for ${LOCK_WAIT_MS / 1000} s`, `remove ${lock} if no run is writing there`);
    }
    sleep(20);
  }
  try {
    return action();
  } finally {
    releaseLock(lock);
  }
}

function releaseLock(lock: string): void {
  try {
    fs.rmdirSync(lock);
  } catch (error) {
    // Taken over meanwhile as stale by another run: theirs now.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - fs.statSync(lock).mtimeMs > STALE_LOCK_MS;
  } catch {
    // Gone in the meantime: try again.
    return false;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleep(milliseconds: number): void {
  Atomics.wait(sleeper, 0, 0, milliseconds);
}

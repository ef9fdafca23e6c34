/**
 * Where in the app a resource was created, from the creation traces the CDK
 * records (`aws:cdk:creationStack` metadata when synthesized with stack
 * traces, e.g. `cdk synth --debug` or an app run directly) and CDKTF's
 * `stackTrace` metadata: the first frame in the app's own code, not in a
 * library or the runtime.
 */
import { fileURLToPath } from 'url';
import type { SourceLocation } from '../core/graph';

/** The cloud assembly metadata entry in which aws-cdk-lib records where a construct was created. */
export const CREATION_STACK_METADATA = 'aws:cdk:creationStack';

/** `at new Queue (/app/lib/stack.ts:12:5)`, `sqs (/app/bin/app.ts:4:1)`, `/app/bin/app.ts:4:1`, `file:///app/main.ts:7:3`. */
const FRAME = /(?:\(|\s|^)((?:file:\/\/)?[^\s()][^()]*?):(\d+)(?::(\d+))?\)?\s*$/;

/** The first frame of a creation trace that lies in the app's own code. */
export function firstAppFrame(trace: unknown): SourceLocation | undefined {
  const frames = Array.isArray(trace) ? trace : typeof trace === 'string' ? trace.split('\n') : [];
  for (const frame of frames) {
    if (typeof frame !== 'string') continue;
    const match = FRAME.exec(frame.trim());
    if (!match) continue;
    let file = match[1].replace(/^at\s+/, '');
    if (file.startsWith('file://')) {
      try {
        file = fileURLToPath(file);
      } catch {
        continue;
      }
    }
    if (!isAppFile(file)) continue;
    return { file, line: Number(match[2]), ...(match[3] !== undefined ? { column: Number(match[3]) } : {}) };
  }
  return undefined;
}

function isAppFile(file: string): boolean {
  if (file.startsWith('node:') || file.startsWith('internal/') || !/[\\/]/.test(file)) return false;
  return !/[\\/]node_modules[\\/]/.test(file);
}

/** The creation location recorded for each construct path in a cloud assembly artifact's metadata entries. */
export function creationLocations(metadata: unknown, into: Map<string, SourceLocation> = new Map()): Map<string, SourceLocation> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return into;
  for (const [constructPath, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (typeof entry !== 'object' || entry === null || (entry as { type?: unknown }).type !== CREATION_STACK_METADATA) continue;
      const location = firstAppFrame((entry as { data?: unknown }).data);
      if (location) {
        into.set(constructPath.replace(/^\//, ''), location);
        break;
      }
    }
  }
  return into;
}

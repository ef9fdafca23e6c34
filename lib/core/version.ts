import * as fs from 'fs';
import * as path from 'path';

let version: string | undefined;

/** This package's version, from its package.json (found by walking up from the compiled or source file). */
export function packageVersion(): string {
  if (version) return version;
  for (let directory = __dirname; ; directory = path.dirname(directory)) {
    const file = path.join(directory, 'package.json');
    if (fs.existsSync(file)) {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === 'llm-compliance-guardrail' && parsed.version) return (version = parsed.version);
    }
    if (path.dirname(directory) === directory) return (version = '0.0.0');
  }
}

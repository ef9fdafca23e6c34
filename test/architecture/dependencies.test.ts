/**
 * Every module the packaged code loads is one a consumer has: a Node.js
 * built-in, a dependency, or a peer dependency (optional peers only behind a
 * lazy require that says how to install them).
 */
import { builtinModules } from 'module';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: { [name: string]: string }; peerDependencies: { [name: string]: string } };
const PACKAGED = ['lib', 'constructs', 'aspects', path.join('bin', 'llm-guardrail.ts')];

function sources(entry: string, out: string[] = []): string[] {
  const full = path.join(ROOT, entry);
  if (fs.statSync(full).isFile()) return [...out, entry];
  for (const child of fs.readdirSync(full, { withFileTypes: true })) {
    const relative = path.join(entry, child.name);
    if (child.isDirectory()) {
      if (child.name !== 'examples') sources(relative, out);
    } else if (child.name.endsWith('.ts') && !child.name.endsWith('.d.ts')) out.push(relative);
  }
  return out;
}

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

test('every bare import of the packaged code is a built-in, a dependency or a peer dependency', () => {
  const allowed = new Set([...builtinModules, ...Object.keys(PACKAGE.dependencies), ...Object.keys(PACKAGE.peerDependencies)]);
  // Loaded only when an app runs the constructs from the TypeScript sources (the package ships the handlers compiled),
  // behind a require that says to install it.
  const sourceOnly: { [file: string]: string } = { [path.join('constructs', 'aws', 'handler-code.ts')]: 'typescript' };
  const undeclared: string[] = [];
  const files = PACKAGED.flatMap((entry) => sources(entry));
  expect(files.length).toBeGreaterThan(100);
  for (const file of files) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const match of text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)'([^'.][^']*)'/g)) {
      const name = packageOf(match[1].replace(/^node:/, ''));
      if (!allowed.has(name) && sourceOnly[file] !== name) undeclared.push(`${file}: ${match[1]}`);
    }
  }
  expect(undeclared).toEqual([]);
});

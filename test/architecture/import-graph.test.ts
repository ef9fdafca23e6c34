/**
 * The layers point down, and no two files import each other (directly or
 * round a longer loop). A file may import its own layer or any layer below it:
 *
 *   core → catalogs → policy, input → analysis (facts) → rules → engine
 *   → reports, docs → gate, verify → cli and the public entry → aspects (gates) → constructs → bin
 *
 * Type-only imports count: a type from an upper layer is a dependency too.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Layer of a source file, by its path; lower numbers sit lower. */
const LAYERS: readonly [RegExp, number, string][] = [
  [/^lib\/core\//, 0, 'core'],
  [/^lib\/catalogs\//, 1, 'catalogs'],
  [/^lib\/policy\//, 2, 'policy'],
  [/^lib\/input\//, 2, 'input'],
  [/^lib\/analysis\//, 3, 'analysis (facts)'],
  [/^lib\/rules\//, 4, 'rules'],
  [/^lib\/engine\//, 5, 'engine'],
  [/^lib\/reports\//, 6, 'reports'],
  [/^lib\/docs\//, 6, 'docs'],
  [/^lib\/gate\//, 7, 'gate core'],
  [/^lib\/verify\//, 7, 'live verification'],
  [/^lib\/cli\//, 8, 'cli'],
  [/^lib\/index\.ts$/, 8, 'public entry'],
  [/^aspects\//, 9, 'gates (aspects)'],
  [/^constructs\//, 10, 'constructs'],
  [/^bin\//, 11, 'bin'],
];

function layerOf(file: string): { rank: number; name: string } {
  const found = LAYERS.find(([pattern]) => pattern.test(file));
  if (!found) throw new Error(`${file} belongs to no layer: add it to LAYERS`);
  return { rank: found[1], name: found[2] };
}

function sourceFiles(directory: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(path.join(ROOT, directory), { withFileTypes: true })) {
    const relative = path.posix.join(directory, entry.name);
    if (entry.isDirectory()) sourceFiles(relative, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(relative);
  }
  return out;
}

/** Relative imports of a file (`from '…'`, `require('…')`, `import('…')`), resolved to repository paths. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const match of text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)'(\.{1,2}\/[^']+)'/g)) {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]));
    const candidates = [base, `${base}.ts`, `${base}/index.ts`];
    const target = candidates.find((candidate) => fs.existsSync(path.join(ROOT, candidate)) && fs.statSync(path.join(ROOT, candidate)).isFile());
    if (!target) throw new Error(`${file}: cannot resolve import "${match[1]}"`);
    if (target.endsWith('.ts')) out.push(target);
  }
  return out;
}

const files = ['lib', 'aspects', 'constructs', 'bin'].flatMap((directory) => sourceFiles(directory));
const edges = new Map(files.map((file) => [file, importsOf(file)]));

describe('the import graph', () => {
  test('every import points to the same layer or one below', () => {
    const upward: string[] = [];
    for (const [file, targets] of edges) {
      const from = layerOf(file);
      for (const target of targets) {
        const to = layerOf(target);
        if (to.rank > from.rank) upward.push(`${file} (${from.name}) imports ${target} (${to.name})`);
      }
    }
    expect(upward).toEqual([]);
  });

  test('no file takes part in an import cycle', () => {
    // Tarjan's strongly connected components: any component of more than one file is a cycle.
    let index = 0;
    const indices = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    const visit = (file: string): void => {
      indices.set(file, index);
      low.set(file, index);
      index++;
      stack.push(file);
      onStack.add(file);
      for (const target of edges.get(file) ?? []) {
        if (!indices.has(target)) {
          visit(target);
          low.set(file, Math.min(low.get(file)!, low.get(target)!));
        } else if (onStack.has(target)) {
          low.set(file, Math.min(low.get(file)!, indices.get(target)!));
        }
      }
      if (low.get(file) === indices.get(file)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== file);
        if (component.length > 1 || (edges.get(file) ?? []).includes(file)) cycles.push(component.sort());
      }
    };
    for (const file of files) if (!indices.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  test('the layers are known for every source file, and the check sees the imports', () => {
    for (const file of files) layerOf(file);
    // A check that found no imports would pass trivially.
    expect(edges.get('lib/engine/evaluate.ts')).toContain('lib/rules/rule.ts');
    expect(files.length).toBeGreaterThan(80);
  });
});

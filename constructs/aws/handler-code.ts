import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { aws_lambda as lambda } from 'aws-cdk-lib';

/** The handlers of the package's custom resources, as Lambda `handler` settings. */
export const HANDLERS = {
  invocationLogging: 'invocation-logging.handler',
  dataRetention: 'data-retention.handler',
} as const;

/**
 * The deployable code of the custom-resource handlers (one asset for all of
 * them: they share their runtime module).
 *
 * In the published package the handlers are compiled JavaScript next to this
 * file. When an app runs from the TypeScript sources (tsx, ts-node, jest),
 * only the `.ts` files exist; they are transpiled (with the project's
 * TypeScript compiler) into a folder keyed by sources and compiler version, so
 * that the asset is deployable, its hash is stable from run to run, and the
 * compiler is loaded only when a source changes.
 */
export function handlerCode(): lambda.Code {
  const directory = path.join(__dirname, 'handlers');
  if (fs.existsSync(path.join(directory, 'runtime.js'))) {
    return lambda.Code.fromAsset(directory, { exclude: ['*.ts', '*.map'] });
  }
  return lambda.Code.fromAsset(transpiledHandlers(directory));
}

let transpiled: string | undefined;

function transpiledHandlers(directory: string): string {
  if (transpiled) return transpiled;
  const sources = fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .sort()
    .map((file) => ({ file, text: fs.readFileSync(path.join(directory, file), 'utf8') }));
  let compilerVersion: string;
  try {
    compilerVersion = (require('typescript/package.json') as { version: string }).version;
  } catch {
    throw new Error(`Bedrock constructs: the handlers in ${directory} are not compiled and the typescript package is not installed (fix: run \`npm run build\`, or install typescript)`);
  }
  // Keyed by sources and compiler version: the compiler (slow to load) runs only when one changes.
  const hash = crypto.createHash('sha256').update(compilerVersion);
  for (const { file, text } of sources) hash.update(`\n${file}\n${text}`);
  const outDirectory = path.join(os.tmpdir(), 'llm-guardrail-assets', `handlers-${hash.digest('hex').slice(0, 16)}`);
  if (!fs.existsSync(path.join(outDirectory, 'runtime.js'))) {
    const typescript: typeof import('typescript') = require('typescript');
    fs.mkdirSync(outDirectory, { recursive: true });
    // runtime.js last: its presence says the folder is complete.
    for (const { file, text } of [...sources.filter((source) => source.file !== 'runtime.ts'), ...sources.filter((source) => source.file === 'runtime.ts')]) {
      const output = typescript.transpileModule(text, {
        compilerOptions: { module: typescript.ModuleKind.CommonJS, target: typescript.ScriptTarget.ES2022, esModuleInterop: true },
        fileName: file,
      }).outputText;
      // Write then rename, so that parallel syntheses never see a half-written file.
      const target = path.join(outDirectory, file.replace(/\.ts$/, '.js'));
      const temporary = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, output);
      fs.renameSync(temporary, target);
    }
  }
  return (transpiled = outDirectory);
}

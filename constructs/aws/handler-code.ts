import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { aws_lambda as lambda } from 'aws-cdk-lib';

/**
 * The deployable code of the invocation-logging handler.
 *
 * In the published package the handler is compiled JavaScript next to this
 * file. When an app runs from the TypeScript sources (tsx, ts-node, jest),
 * only `index.ts` exists; it is transpiled (with the project's TypeScript
 * compiler) into a folder keyed by source and compiler version, so that the
 * asset is deployable, its hash is stable from run to run, and the compiler
 * is loaded only when the source changes.
 */
export function invocationLoggingHandlerCode(): lambda.Code {
  const directory = path.join(__dirname, 'invocation-logging-handler');
  if (fs.existsSync(path.join(directory, 'index.js'))) {
    return lambda.Code.fromAsset(directory, { exclude: ['*.ts', '*.map'] });
  }
  return lambda.Code.fromAsset(transpiledHandler(directory));
}

let transpiled: string | undefined;

function transpiledHandler(directory: string): string {
  if (transpiled) return transpiled;
  const sourceFile = path.join(directory, 'index.ts');
  const source = fs.readFileSync(sourceFile, 'utf8');
  let compilerVersion: string;
  try {
    compilerVersion = (require('typescript/package.json') as { version: string }).version;
  } catch {
    throw new Error(`BedrockInvocationLogging: ${sourceFile} is not compiled and the typescript package is not installed (fix: run \`npm run build\`, or install typescript)`);
  }
  // Keyed by source and compiler version: the compiler (slow to load) runs only when either changes.
  const key = crypto.createHash('sha256').update(`${compilerVersion}\n${source}`).digest('hex').slice(0, 16);
  const outDirectory = path.join(os.tmpdir(), 'llm-guardrail-assets', `invocation-logging-handler-${key}`);
  if (!fs.existsSync(path.join(outDirectory, 'index.js'))) {
    const typescript: typeof import('typescript') = require('typescript');
    const output = typescript.transpileModule(source, {
      compilerOptions: { module: typescript.ModuleKind.CommonJS, target: typescript.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: 'index.ts',
    }).outputText;
    fs.mkdirSync(outDirectory, { recursive: true });
    // Write then rename, so that parallel syntheses never see a half-written file.
    const temporary = path.join(outDirectory, `index.js.${process.pid}.tmp`);
    fs.writeFileSync(temporary, output);
    fs.renameSync(temporary, path.join(outDirectory, 'index.js'));
  }
  return (transpiled = outDirectory);
}

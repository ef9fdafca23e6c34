import { runDocsCommand } from './lib/docs/cli';
process.exitCode = runDocsCommand(process.argv.slice(2));

#!/usr/bin/env node
/** The `llm-guardrail` command: the in-process CLI (`lib/cli`) on the real process's streams. */
import { processIo, runAsync } from '../lib/cli';

void runAsync(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});

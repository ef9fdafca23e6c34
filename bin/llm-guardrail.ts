#!/usr/bin/env node
/** The `llm-guardrail` command: the in-process CLI (`lib/cli`) on the real process's streams. */
import { processIo, run } from '../lib/cli';

process.exitCode = run(process.argv.slice(2), processIo());

#!/usr/bin/env -S npx tsx
// The deqir command line: a thin wrapper over src/lib/node/cli.ts (runCli returns the exit code).
import { runCli } from '../src/lib/node/cli.js';

process.exitCode = await runCli(process.argv.slice(2));

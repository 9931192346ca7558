#!/usr/bin/env -S npx tsx
// The deqir command line: thin wrappers over src/lib.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { useNodeBackend, type NodeBackendName } from '../src/lib/backend/nodeBackend.js';
import { DeqirError } from '../src/lib/errors.js';
import { loadModelFile } from '../src/lib/node/loadModelFile.js';
import { parseProblem, solveProblem } from '../src/lib/problem/solveProblem.js';

const USAGE = `usage:
  deqir solve PROBLEM.json [--out RESULT.json] [--backend wasm|cpu]
      Solves a deqir-problem/1 file with its solver and with the serial chain; writes
      deqir-result/1 JSON (x0, x0Serial, iterations, nfe, residuals, ...) to --out or stdout.
      With a "grad" section, also the gradients of its loss with respect to y and/or xT.`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { out: { type: 'string' }, backend: { type: 'string', default: 'wasm' } },
  });
  if (command !== 'solve') throw new UsageError(`unknown command '${command}'`);
  if (positionals.length !== 1) throw new UsageError('solve takes exactly one problem file');
  const backend = values.backend as NodeBackendName;
  if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got '${backend}'`);
  await useNodeBackend(backend);
  const text = await readFile(positionals[0], 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${positionals[0]}: ${e.code ?? e.message}`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${positionals[0]} is not valid JSON: ${(e as Error).message}`);
  }
  const problem = parseProblem(json);
  const result = await solveProblem(problem, {
    loadModel: loadModelFile,
    onIteration: (r) =>
      process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}iteration ${r.iteration}: relative residual ${r.relResidual.toExponential(2)}${process.stderr.isTTY ? '   ' : '\n'}`),
  });
  process.stderr.write(
    `\n${result.solver}: ${result.iterations} iterations, NFE ${result.nfe}, max |x0 - serial| = ${result.maxAbsDiffToSerial.toExponential(2)}\n`,
  );
  const out = JSON.stringify(result);
  if (values.out) await writeFile(values.out, out);
  else process.stdout.write(out + '\n');
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) console.error(`deqir: ${e.message}\n${USAGE}`);
  else if (e instanceof DeqirError) console.error(`deqir: ${e.message}`);
  else console.error(e);
  process.exit(e instanceof UsageError ? 2 : 1);
});

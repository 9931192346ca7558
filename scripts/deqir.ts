#!/usr/bin/env -S npx tsx
// The deqir command line: thin wrappers over src/lib.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { useNodeBackend, type NodeBackendName } from '../src/lib/backend/nodeBackend.js';
import { SOLVER_KINDS, type SolverKind } from '../src/lib/deq/solvers/solverTypes.js';
import { DeqirError } from '../src/lib/errors.js';
import { loadModelFile } from '../src/lib/node/loadModelFile.js';
import { writePngGrey } from '../src/lib/node/pngImage.js';
import { restoreImage } from '../src/lib/node/restoreImage.js';
import { TASK_NAMES, taskDefinition, type TaskName } from '../src/lib/operators/taskRegistry.js';
import { parseProblem, solveProblem } from '../src/lib/problem/solveProblem.js';
import { checkSeed } from '../src/lib/problem/seedRule.js';
import { checkT, DEFAULT_INIT, DEFAULT_SOLVER, DEFAULT_T, DEFAULT_TOL, T_RANGE } from '../src/lib/restoration/defaults.js';

const USAGE = `usage:
  deqir solve PROBLEM.json [--out RESULT.json] [--backend wasm|cpu]
      Solves a deqir-problem/1 file with its solver and with the serial chain; writes
      deqir-result/1 JSON (x0, x0Serial, iterations, nfe, residuals, ...) to --out or stdout.
      With a "grad" section, also the gradients of its loss with respect to y and/or xT.
  deqir restore (IMAGE.png | --image N) --task TASK --out OUT.png [--method deqir|serial] [--T ${DEFAULT_T}]
                [--seed 0] [--solver ${SOLVER_KINDS.join('|')}] [--tol ${DEFAULT_TOL}] [--max-iter T]
                [--model models/fashion-unet-small.safetensors] [--backend wasm|cpu]
      Degrades a clean 28x28 image (or image N of the shipped benchmark subset) with TASK
      (${TASK_NAMES.join(', ')}), restores it with the model, and writes
      [A^T y | A+y | restored | original], 4x enlarged, to OUT.png. T from ${T_RANGE.min} to ${T_RANGE.max};
      DeqIR defaults: ${DEFAULT_SOLVER} from the ${DEFAULT_INIT} start, stopping at relative residual ${DEFAULT_TOL}
      or after T iterations (exact for Picard: the system is triangular).`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
      task: { type: 'string' },
      method: { type: 'string', default: 'deqir' },
      T: { type: 'string', default: String(DEFAULT_T) },
      seed: { type: 'string', default: '0' },
      model: { type: 'string', default: 'models/fashion-unet-small.safetensors' },
      image: { type: 'string' },
      solver: { type: 'string' },
      tol: { type: 'string' },
      'max-iter': { type: 'string' },
    },
  });
  if (command !== 'solve' && command !== 'restore') throw new UsageError(`unknown command '${command}'`);
  if (positionals.length > 1 || (command === 'solve' && positionals.length !== 1)) throw new UsageError(`${command} takes exactly one input file`);
  const backend = values.backend as NodeBackendName;
  if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got '${backend}'`);
  await useNodeBackend(backend);
  if (command === 'restore') return restore(positionals[0], values);
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

/** deqir restore: synthetic degradation of a clean image, then restoration; a picture of all four. */
async function restore(input: string | undefined, o: RestoreFlags): Promise<void> {
  if (!o.task) throw new UsageError('restore needs --task');
  if (!o.out) throw new UsageError('restore needs --out OUT.png');
  if (o.method !== 'deqir' && o.method !== 'serial') throw new UsageError(`--method must be deqir or serial, got '${o.method}'`);
  if (o.solver !== undefined && !(SOLVER_KINDS as readonly string[]).includes(o.solver))
    throw new UsageError(`--solver must be one of ${SOLVER_KINDS.join(', ')}, got '${o.solver}'`);
  if ((input === undefined) === (o.image === undefined)) throw new UsageError('restore takes either IMAGE.png or --image N (an image of the shipped subset)');
  const T = checkT(intFlag('T', o.T ?? String(DEFAULT_T)), '--T');
  const seed = checkSeed(intFlag('seed', o.seed ?? '0'), '--seed');
  const tol = o.tol === undefined ? undefined : numberFlag('tol', o.tol);
  const maxIter = o['max-iter'] === undefined ? undefined : intFlag('max-iter', o['max-iter']);
  const task = taskDefinition(o.task) && (o.task as TaskName);
  const model = await loadModelFile(o.model!);
  try {
    const r = await restoreImage({
      model,
      input: input === undefined ? { subsetImage: intFlag('image', o.image!) } : { png: input },
      task,
      method: o.method,
      T,
      seed,
      solver: { kind: o.solver as SolverKind | undefined, tol, maxIter },
    });
    const how = o.method === 'serial' ? 'serial chain' : `DeqIR ${o.solver ?? DEFAULT_SOLVER}, ${r.iterations} iterations${r.converged ? '' : ' (not converged)'}`;
    process.stderr.write(
      `${taskDefinition(task).description}, ${how}, T = ${T}: PSNR ${r.psnr.toFixed(2)} dB (A+y: ${r.psnrApy.toFixed(2)} dB), ` +
        `NFE ${r.nfe}, sequential depth ${r.sequentialDepth}, ${(r.wallMs / 1000).toFixed(1)} s\n`,
    );
    await writePngGrey(o.out!, [r.ATy, r.Apy, r.x0, r.truth], r.width, r.height, 4);
  } finally {
    model.dispose?.();
  }
}

interface RestoreFlags {
  task?: string;
  out?: string;
  method?: string;
  T?: string;
  seed?: string;
  model?: string;
  image?: string;
  solver?: string;
  tol?: string;
  'max-iter'?: string;
}

function intFlag(name: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got '${v}'`);
  return n;
}

function numberFlag(name: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${v}'`);
  return n;
}

class UsageError extends Error {}

/** Library errors that mean "your input is wrong" exit with 2, like usage errors; others are runtime failures (1). */
const BAD_INPUT = new Set(['shape', 'parameter', 'problem-file', 'image-file', 'dataset']);

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) console.error(`deqir: ${e.message}\n${USAGE}`);
  else if (e instanceof DeqirError) console.error(`deqir: ${e.message}`);
  else console.error(e);
  process.exit(e instanceof UsageError || (e instanceof DeqirError && BAD_INPUT.has(e.code)) ? 2 : 1);
});

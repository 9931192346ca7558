import { parseArgs } from 'node:util';
import { useNodeBackend, type NodeBackendName } from '../backend/nodeBackend.js';
import { SOLVER_KINDS, STOP_RULES, type SolverKind, type StopRule } from '../deq/solvers/solverTypes.js';
import { DeqirError, didYouMean, isBadInput, NonFiniteError, ParameterError, ProblemFileError, UsageError } from '../errors.js';
import { checkTaskChannels, TASK_NAMES, taskDefinition, type TaskName } from '../operators/taskRegistry.js';
import { parseProblem, solveProblem } from '../problem/solveProblem.js';
import { checkSeed } from '../problem/seedRule.js';
import { checkT, DEFAULT_T, MAX_ITER_RANGE, T_RANGE, TOL_RANGE, MEMORY_BUDGET_MB } from '../bounds.js';
import { DEFAULT_INIT } from '../deq/deqDefaults.js';
import { DEFAULT_RULE, DEFAULT_SOLVER, DEFAULT_TOL, RELATIVE_TOL, X0_BUDGET, X0_TOL_MAX } from '../deq/solvers/solverDefaults.js';
import { memoryBudgetBytes } from '../problem/memoryEstimate.js';
import { checkOutputPath, writeFileAtomic, type AtomicWriteOptions } from './atomicWrite.js';
import { readInputText } from './inputFile.js';
import { loadModelFile } from './loadModelFile.js';
import { loadModelSpec, NAMED_PRIORS } from './loadModelSpec.js';
import { encodePng } from './pngImage.js';
import { restoreImage } from './restoreImage.js';

/**
 * The deqir command line as a function: `runCli(argv, io)` returns the exit code — 0 on success,
 * 2 for bad input (a usage error or a library error whose code is in BAD_INPUT_CODES), 1 for a
 * runtime failure — and never exits the process, so tests call it in-process. scripts/deqir.ts is
 * a thin wrapper. Every error prints one `deqir: ...` line; a stack trace only with --debug.
 * Inputs are checked before computing (flags, input files, the output path, the memory budget)
 * and results are written atomically, so a failed run leaves an existing output untouched.
 */

const USAGE = `usage:
  deqir solve PROBLEM.json [--out RESULT.json] [--backend wasm|cpu] [--memory-budget-mb ${MEMORY_BUDGET_MB.default}]
      Solves a deqir-problem/1 file with its solver and with the serial chain; writes
      deqir-result/1 JSON (x0, x0Serial, iterations, nfe, residuals, ...) to --out or stdout.
      With a "grad" section, also the gradients of its loss with respect to y and/or xT.
  deqir restore (IMAGE.png | --image N) --task TASK --out OUT.png [--method deqir|serial] [--T ${DEFAULT_T}]
                [--seed 0] [--solver ${SOLVER_KINDS.join('|')}] [--rule ${STOP_RULES.join('|')}] [--tol ${X0_BUDGET}/T] [--max-iter T]
                [--model models/fashion-unet-small.safetensors|${NAMED_PRIORS.join('|')}] [--backend wasm|cpu] [--memory-budget-mb ${MEMORY_BUDGET_MB.default}]
      Degrades a clean image of the model's size (or image N of the shipped subset of that size)
      with TASK (${TASK_NAMES.join(', ')}), restores it with the model, and writes
      [A^T y | A+y | restored | original], 4x enlarged, to OUT.png. --model is a UNet weight file
      (the default: 28x28 grey) or a diagonal Gaussian prior fitted to a shipped subset:
      gaussian:fashion (28x28 grey), gaussian:emoji (32x32 colour, no training needed). A colour model
      reads the PNG as RGB (a grey PNG as R = G = B) and writes colour; colorize needs one, e.g.
      deqir restore grey.png --task colorize --model gaussian:emoji --out colour.png. T from ${T_RANGE.min} to ${T_RANGE.max};
      DeqIR defaults: ${DEFAULT_SOLVER} from the ${DEFAULT_INIT} start, stopped by the ${DEFAULT_RULE} rule: a timestep is
      final once the x0 it implies moves less than --tol (RMS, image units; by default ${X0_BUDGET}/T, at most ${X0_TOL_MAX}:
      ${DEFAULT_TOL} at T = ${DEFAULT_T}) and every one before it is final; final timesteps leave the batch, and the run stops when they
      reach x0, after T iterations at most
      (exact for Picard and ParaTAA 'taa': the system is triangular). --rule relative stops instead on the
      relative residual of the whole state (--tol ${RELATIVE_TOL} by default); --tol 0 runs to the exact fixed point.
  Jobs whose estimated memory exceeds --memory-budget-mb (MiB) are refused before they start.
  --debug prints the stack trace of an error. Exit codes: 0 done, 2 bad input, 1 runtime failure.`;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stderr is a terminal: progress overwrites one line. */
  isTTY?: boolean;
  /** Options of every atomic write (tests inject a failing disk here). */
  writeOptions?: AtomicWriteOptions;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: process.stderr.isTTY,
};

const OPTIONS = {
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
  rule: { type: 'string' },
  'max-iter': { type: 'string' },
  'memory-budget-mb': { type: 'string', default: String(MEMORY_BUDGET_MB.default) },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Flags = { [K in keyof typeof OPTIONS]: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string | undefined };

/** Runs one deqir command; returns its exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    await main(argv, io);
    return 0;
  } catch (e) {
    return report(e, io, debug);
  }
}

/** One `deqir: ...` line (the usage text after a usage error); the exit code for the error's class. */
function report(e: unknown, io: CliIo, debug: boolean): number {
  const stack = debug && e instanceof Error && e.stack ? `\n${e.stack}` : '';
  if (e instanceof UsageError) io.stderr(`deqir: ${e.message}${stack}\n${USAGE}\n`);
  else if (e instanceof DeqirError) io.stderr(`deqir: ${e.message}${stack}\n`);
  else {
    const err = e instanceof Error ? e : new Error(String(e));
    const oom = err instanceof RangeError && /alloc|memory|buffer/i.test(err.message);
    io.stderr(`deqir: ${oom ? 'out of memory' : 'internal error'}: ${err.message}${stack || ' (run with --debug for the stack trace)'}\n`);
  }
  return isBadInput(e) ? 2 : 1;
}

function parseFlags(args: string[]): { values: Flags; positionals: string[] } {
  const names = Object.keys(OPTIONS);
  const normalised: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      normalised.push(...args.slice(i));
      break;
    }
    if (a.startsWith('--')) {
      const [name, inline] = [a.slice(2).split('=')[0], a.includes('=') ? a.slice(a.indexOf('=') + 1) : undefined];
      if (!(name in OPTIONS))
        throw new UsageError(`unknown option '--${name}'${didYouMean(name, names).replace(/'([^']+)'\?\)$/, "'--$1'?)")}`);
      const opt = OPTIONS[name as keyof typeof OPTIONS];
      if (opt.type === 'boolean') {
        if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
        normalised.push(a);
        continue;
      }
      if (inline !== undefined) {
        normalised.push(a);
        continue;
      }
      const v = args[i + 1];
      // A value that looks like a flag is missing, unless it is a number such as -1 (refused later with its range).
      if (v === undefined || (v.startsWith('-') && !/^-[\d.]/.test(v))) throw new UsageError(`--${name} needs a value`);
      normalised.push(`--${name}=${v}`);
      i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && a !== '-h') throw new UsageError(`unknown option '${a}' (options start with --)`);
    normalised.push(a);
  }
  try {
    const { values, positionals } = parseArgs({ args: normalised, allowPositionals: true, strict: true, options: OPTIONS });
    return { values: values as Flags, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function main(argv: string[], io: CliIo): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    io.stdout(USAGE + '\n');
    return;
  }
  if (command !== 'solve' && command !== 'restore')
    throw new UsageError(`unknown command '${command}'${didYouMean(command, ['solve', 'restore'])}`);
  const { values, positionals } = parseFlags(rest);
  if (values.help) {
    io.stdout(USAGE + '\n');
    return;
  }
  if (positionals.length > 1 || (command === 'solve' && positionals.length !== 1))
    throw new UsageError(`${command} takes exactly one input file`);
  const backend = values.backend as NodeBackendName;
  if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got '${backend}'`);
  const budget = memoryBudgetBytes(numberFlag('memory-budget-mb', values['memory-budget-mb']!));
  const budgetHint = 'raise --memory-budget-mb';
  if (command === 'restore') return restore(positionals[0], values, io, backend, budget, budgetHint);

  if (values.out !== undefined) await checkOutputPath(values.out, 'result');
  const path = positionals[0];
  const text = await readInputText(path, 'problem');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ProblemFileError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const problem = parseProblem(json);
  await useNodeBackend(backend);
  const result = await solveProblem(problem, {
    loadModel: loadModelFile,
    memoryBudgetBytes: budget,
    budgetHint,
    onIteration: (r) =>
      io.stderr(
        `${io.isTTY ? '\r' : ''}iteration ${r.iteration}: ${r.finishedRows} of ${r.rowAbsResidual.length} timesteps final, relative residual ${r.relResidual.toExponential(2)}${io.isTTY ? '   ' : '\n'}`,
      ),
  });
  assertFiniteResult(result, 'result');
  io.stderr(
    `\n${result.solver}: ${result.iterations} iterations, NFE ${result.nfe}, max |x0 - serial| = ${result.maxAbsDiffToSerial.toExponential(2)}\n`,
  );
  const out = JSON.stringify(result);
  if (values.out !== undefined) await writeFileAtomic(values.out, out, io.writeOptions);
  else io.stdout(out + '\n');
}

/** deqir restore: synthetic degradation of a clean image, then restoration; a picture of all four. */
async function restore(
  input: string | undefined,
  o: Flags,
  io: CliIo,
  backend: NodeBackendName,
  memoryBudgetBytes: number,
  budgetHint: string,
): Promise<void> {
  if (o.task === undefined) throw new UsageError('restore needs --task');
  if (o.out === undefined) throw new UsageError('restore needs --out OUT.png');
  if (o.method !== 'deqir' && o.method !== 'serial') throw new UsageError(`--method must be deqir or serial, got '${o.method}'`);
  if (o.solver !== undefined && !(SOLVER_KINDS as readonly string[]).includes(o.solver))
    throw new UsageError(`--solver must be one of ${SOLVER_KINDS.join(', ')}, got '${o.solver}'${didYouMean(o.solver, SOLVER_KINDS)}`);
  if ((input === undefined) === (o.image === undefined))
    throw new UsageError('restore takes either IMAGE.png or --image N (an image of the shipped subset)');
  const T = checkT(intFlag('T', o.T!), '--T');
  const seed = checkSeed(intFlag('seed', o.seed!), '--seed');
  if (o.rule !== undefined && !(STOP_RULES as readonly string[]).includes(o.rule))
    throw new UsageError(`--rule must be one of ${STOP_RULES.join(', ')}, got '${o.rule}'${didYouMean(o.rule, STOP_RULES)}`);
  const tol = o.tol === undefined ? undefined : rangeFlag('tol', numberFlag('tol', o.tol), TOL_RANGE);
  const maxIter = o['max-iter'] === undefined ? undefined : rangeFlag('max-iter', intFlag('max-iter', o['max-iter']), MAX_ITER_RANGE);
  const subsetImage = o.image === undefined ? undefined : intFlag('image', o.image);
  taskDefinition(o.task);
  const task = o.task as TaskName;
  await checkOutputPath(o.out, 'image');
  await useNodeBackend(backend);
  const model = await loadModelSpec(o.model!);
  try {
    try {
      checkTaskChannels(task, model.imageShape);
    } catch (e) {
      // The library names the mismatch; the command line says which flag fixes it.
      throw new ParameterError(`${(e as Error).message}; give a colour --model (gaussian:emoji, or a [32, 32, 3] weight file)`, 'task');
    }
    const r = await restoreImage({
      model,
      input: subsetImage === undefined ? { png: input! } : { subsetImage },
      task,
      method: o.method,
      T,
      seed,
      solver: { kind: o.solver as SolverKind | undefined, rule: o.rule as StopRule | undefined, tol, maxIter },
      memoryBudgetBytes,
      budgetHint,
    });
    for (const [name, v] of [
      ['restored image', r.x0],
      ['A+y', r.Apy],
      ['A^T y', r.ATy],
    ] as const)
      assertFiniteArray(v, name);
    if (!Number.isFinite(r.psnr)) throw new NonFiniteError(`the PSNR of the restored image is ${r.psnr}; nothing was written`);
    const how =
      o.method === 'serial' ?
        'serial chain'
      : `DeqIR ${o.solver ?? DEFAULT_SOLVER}, ${r.iterations} iterations${r.converged ? '' : ' (not converged)'}`;
    io.stderr(
      `${taskDefinition(task).description}, ${how}, T = ${T}: PSNR ${r.psnr.toFixed(2)} dB (A+y: ${r.psnrApy.toFixed(2)} dB), ` +
        `NFE ${r.nfe}, sequential depth ${r.sequentialDepth}, ${(r.wallMs / 1000).toFixed(1)} s\n`,
    );
    await writeFileAtomic(o.out, encodePng([r.ATy, r.Apy, r.x0, r.truth], r.width, r.height, 4), io.writeOptions);
  } finally {
    model.dispose?.();
  }
}

/** A decimal integer (not '0x10', '1e3' or ''): what a person means by a count or a seed. */
function intFlag(name: string, v: string): number {
  const n = Number(v);
  if (!/^\s*[+-]?\d+\s*$/.test(v) || !Number.isSafeInteger(n)) throw new UsageError(`--${name} must be an integer, got '${v}'`);
  return n;
}

function numberFlag(name: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${v}'`);
  return n;
}

function rangeFlag(name: string, v: number, r: { min: number; max: number }): number {
  if (v < r.min || v > r.max) throw new UsageError(`--${name} must be from ${r.min} to ${r.max}, got ${v}`);
  return v;
}

function assertFiniteArray(a: ArrayLike<number>, what: string): void {
  for (let i = 0; i < a.length; i++)
    if (!Number.isFinite(a[i])) throw new NonFiniteError(`${what} has a non-finite value (${a[i]}) at index ${i}; nothing was written`);
}

/** A result is never written with NaN or Inf in it (JSON would silently turn them into null). */
function assertFiniteResult(v: unknown, path: string): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new NonFiniteError(`${path} is ${v}; nothing was written`);
  } else if (Array.isArray(v)) {
    if (v.length && typeof v[0] === 'number') assertFiniteArray(v as number[], path);
    else v.forEach((x, i) => assertFiniteResult(x, `${path}[${i}]`));
  } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) assertFiniteResult(x, `${path}.${k}`);
}

#!/usr/bin/env -S npx tsx
// The deqir command line: thin wrappers over src/lib.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { useNodeBackend, type NodeBackendName } from '../src/lib/backend/nodeBackend.js';
import { DeqirError } from '../src/lib/errors.js';
import { loadModelFile } from '../src/lib/node/loadModelFile.js';
import { parseProblem, solveProblem } from '../src/lib/problem/solveProblem.js';
import * as tf from '@tensorflow/tfjs-core';
import { deqRestore } from '../src/lib/deq/deqRestore.js';
import { psnr } from '../src/lib/metrics/psnr.js';
import { readPngGrey, writePngGrey } from '../src/lib/node/pngImage.js';
import { createOperator } from '../src/lib/operators/createOperator.js';
import { measure } from '../src/lib/operators/measure.js';
import { TASK_PRESETS, taskPreset } from '../src/lib/operators/taskPresets.js';
import { childSeed, gaussianArray } from '../src/lib/random/prng.js';
import { prepareRestoration } from '../src/lib/restoration/restorationTask.js';
import { serialChain } from '../src/lib/samplers/serialChain.js';

const USAGE = `usage:
  deqir solve PROBLEM.json [--out RESULT.json] [--backend wasm|cpu]
      Solves a deqir-problem/1 file with its solver and with the serial chain; writes
      deqir-result/1 JSON (x0, x0Serial, iterations, nfe, residuals, ...) to --out or stdout.
      With a "grad" section, also the gradients of its loss with respect to y and/or xT.
  deqir restore IMAGE.png --task TASK --out OUT.png [--method deqir|serial] [--T 20]
                [--seed 0] [--model models/fashion-unet-small.safetensors] [--backend wasm|cpu]
      Degrades a clean 28x28 image with TASK (${Object.keys(TASK_PRESETS).join(', ')}),
      restores it with the model, and writes [A^T y | A+y | restored | original], 4x enlarged, to OUT.png.`;

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
      T: { type: 'string', default: '20' },
      seed: { type: 'string', default: '0' },
      model: { type: 'string', default: 'models/fashion-unet-small.safetensors' },
    },
  });
  if (command !== 'solve' && command !== 'restore') throw new UsageError(`unknown command '${command}'`);
  if (positionals.length !== 1) throw new UsageError(`${command} takes exactly one input file`);
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
async function restore(input: string, o: { task?: string; out?: string; method?: string; T?: string; seed?: string; model?: string }): Promise<void> {
  if (!o.task) throw new UsageError('restore needs --task');
  if (!o.out) throw new UsageError('restore needs --out OUT.png');
  if (o.method !== 'deqir' && o.method !== 'serial') throw new UsageError(`--method must be deqir or serial, got '${o.method}'`);
  const T = Number(o.T);
  const seed = Number(o.seed);
  if (!Number.isInteger(T) || T < 1) throw new UsageError(`--T must be a positive integer, got '${o.T}'`);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be an integer >= 0, got '${o.seed}'`);
  const preset = taskPreset(o.task);
  const image = await readPngGrey(input);
  const model = await loadModelFile(o.model!);
  const [H, W, C] = model.imageShape;
  if (image.width !== W || image.height !== H || C !== 1) {
    model.dispose?.();
    throw new UsageError(`${input} is ${image.width}x${image.height}; the model restores ${W}x${H} grey images — resize it first (e.g. convert ${input} -resize ${W}x${H}! small.png)`);
  }
  const operator = createOperator(preset.spec, model.imageShape);
  const x = tf.tensor4d(image.pixels, [1, H, W, 1]);
  const y = measure(operator, x, preset.sigmaY, childSeed(seed, 3));
  const xT = tf.tensor4d(gaussianArray(H * W, childSeed(seed, 1)), [1, H, W, 1]);
  const task = prepareRestoration({ model, operator, y, xT, sampling: { T } });
  const res =
    o.method === 'serial'
      ? await serialChain(task)
      : await deqRestore(task, { kind: 'picard', tol: 1e-3, maxIter: T }, { init: 'ddim-pinv' });
  const pinv = operator.Apinv(y);
  const yImage = tf.tidy(() => operator.AT(y));
  process.stderr.write(
    `${preset.description}, ${o.method}, T = ${T}: PSNR ${psnr(res.x0, x).toFixed(2)} dB (A+y: ${psnr(pinv, x).toFixed(2)} dB), ` +
      `NFE ${res.nfe}, sequential depth ${res.sequentialDepth}, ${(res.wallMs / 1000).toFixed(1)} s\n`,
  );
  await writePngGrey(o.out!, [await yImage.data(), await pinv.data(), await res.x0.data(), image.pixels], W, H, 4);
  [x, y, xT, res.x0, pinv, yImage].forEach((t) => t.dispose());
  task.dispose();
  operator.dispose();
  model.dispose?.();
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) console.error(`deqir: ${e.message}\n${USAGE}`);
  else if (e instanceof DeqirError) console.error(`deqir: ${e.message}`);
  else console.error(e);
  process.exit(e instanceof UsageError ? 2 : 1);
});

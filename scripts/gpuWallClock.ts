// npm run bench:gpu -- [--quick] [--out FILE] [--dawn backend=vulkan]
// GPU wall clock on WebGPU in Node (Dawn, the `webgpu` package): one batched map F(X) against one
// serial step, and DeqIR's solve until its x0 meets PSNR 40 dB to the serial x0 against the whole
// serial chain, for T in {20, 50, 100} and batch 1 and 8 (--quick: T 8, batch 1, for software Vulkan).
// Prints a JSON table and writes it with provenance (the adapter included).
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { onCpu } from '../src/lib/backend/onCpu.js';
import { timeToHost } from '../src/lib/backend/timeToHost.js';
import { toSignedUnit } from '../src/lib/data/labelledImages.js';
import { deqRestore } from '../src/lib/deq/deqRestore.js';
import { deqSystem } from '../src/lib/deq/deqSystem.js';
import { x0DistancePerImage, iterateX0ToSerial, meetsX0Criterion, X0_PSNR_CRITERION_DB } from '../src/lib/metrics/x0ToSerial.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { loadModelFile } from '../src/lib/node/loadModelFile.js';
import { useNodeWebgpu } from '../src/lib/node/nodeWebgpu.js';
import { fileSha256, provenance, uncommittedChanges } from '../src/lib/node/provenance.js';
import { writeResultsFile } from '../src/lib/node/resumableResults.js';
import { buildRestorationProblem } from '../src/lib/problem/restorationProblem.js';
import { DEFAULT_INIT } from '../src/lib/deq/deqDefaults.js';
import { solverSettingsFor } from '../src/lib/deq/solvers/solverDefaults.js';
import { serialChain } from '../src/lib/samplers/serialChain.js';
import { serialStep } from '../src/lib/samplers/serialStep.js';
import { median } from '../src/lib/metrics/statistics.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    dawn: { type: 'string', multiple: true, default: [] },
    'allow-dirty': { type: 'boolean', default: false },
  },
});
const quick = values.quick ?? false;
const dirty = uncommittedChanges();
if (dirty.length && !values['allow-dirty'] && !quick) {
  console.error(`bench:gpu: the work tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}): commit first, or pass --allow-dirty`);
  process.exit(2);
}
const PRIOR = 'models/fashion-unet-small.safetensors';
const settings = {
  Ts: quick ? [8] : [20, 50, 100],
  batches: quick ? [1] : [1, 8],
  task: 'sr4' as const,
  seed: 0,
  solvers: ['picard', 'taa'] as const,
  repeats: quick ? 2 : 5,
  criterion: `PSNR(x0, serial x0) >= ${X0_PSNR_CRITERION_DB} dB`,
  prior: PRIOR,
};

const { backend, adapter } = await useNodeWebgpu(values.dawn);
process.stderr.write(`bench:gpu: ${backend} on ${adapter.name}${adapter.fallback ? ' (fallback/software adapter)' : ''}\n`);
const model = await loadModelFile(PRIOR);
const set = loadBenchmarkSubset();
const rows = [];
for (const T of settings.Ts) {
  for (const B of settings.batches) {
    const images = Array.from({ length: B }, (_, i) => ({ key: i, pixels: toSignedUnit(set, [i]) }));
    // Built on the cpu backend: input checks read back synchronously, which Node's WebGPU cannot (no OffscreenCanvas).
    const p = await onCpu(() => buildRestorationProblem(model, { task: settings.task, seed: settings.seed, T }, images));
    const system = deqSystem(p.task);
    const X = system.initialState(DEFAULT_INIT);
    try {
      const repeat = async (fn: () => tf.Tensor) => {
        await timeToHost(fn); // warm-up: shader compilation
        const ms: number[] = [];
        for (let r = 0; r < settings.repeats; r++) ms.push(await timeToHost(fn));
        return median(ms);
      };
      const mapMs = await repeat(() => system.map(X));
      const stepMs = await repeat(() => tf.tidy(() => serialStep(p.task, 0, p.task.inputs.xT, p.task.yTerm).next));
      const serialRuns: number[] = [];
      let ref: Float32Array | null = null;
      for (let r = 0; r < Math.max(2, Math.ceil(settings.repeats / 2)); r++) {
        const s = await serialChain(p.task);
        ref = (await s.x0.data()) as Float32Array;
        s.x0.dispose();
        serialRuns.push(s.wallMs);
      }
      const serialMs = median(serialRuns.slice(1));
      const solvers = [];
      for (const kind of settings.solvers) {
        const psnr: number[] = [];
        const run = async () =>
          deqRestore(
            p.task,
            {
              ...solverSettingsFor(T, { kind }),
              tol: 0,
              onIteration: async (_rec, { fx }) => {
                // The batch's worst image decides: every image must meet the criterion.
                const d = await iterateX0ToSerial(fx, T, ref!, B);
                psnr.push(Math.min(...d.psnr));
                return meetsX0Criterion(d) ? 'stop' : undefined;
              },
            },
            { init: DEFAULT_INIT },
          );
        (await run()).x0.dispose(); // warm-up
        psnr.length = 0;
        const res = await run();
        res.x0.dispose();
        const depth = psnr.findIndex((q) => q >= X0_PSNR_CRITERION_DB) + 1 || null;
        const msToCriterion = depth ? res.history[depth - 1].wallMs : null;
        solvers.push({ solver: kind, depth, msToCriterion, speedup: msToCriterion ? serialMs / msToCriterion : null });
      }
      // The default solve as a user runs it: stopped by its own rule, no oracle.
      const defaults = async () => deqRestore(p.task, solverSettingsFor(T), { init: DEFAULT_INIT });
      (await defaults()).x0.dispose(); // warm-up
      const d = await defaults();
      const dx0 = await d.x0.data();
      d.x0.dispose();
      const defaultRun = {
        depth: d.sequentialDepth,
        nfe: d.nfe,
        ms: d.wallMs,
        speedup: serialMs / d.wallMs,
        minPsnrToSerial: Math.min(...x0DistancePerImage(dx0, ref!, B).psnr),
      };
      const row = { T, batch: B, mapMs, stepMs, mapOverStep: mapMs / stepMs, serialMs, solvers, defaultRun };
      rows.push(row);
      process.stderr.write(`${JSON.stringify(row)}\n`);
    } finally {
      X.dispose();
      system.dispose();
      p.dispose();
    }
  }
}
const result = { provenance: provenance(settings, backend, { [PRIOR]: fileSha256(PRIOR) }), adapter, rows };
console.log(JSON.stringify(result, null, 1));
const out = values.out ?? (quick ? 'data/benchmarks/gpu-wallclock-quick.json' : 'data/benchmarks/gpu-wallclock.json');
await writeResultsFile(out, JSON.stringify(result, null, 1));
process.stderr.write(`wrote ${out}\n`);
// Dawn keeps the process alive while navigator.gpu is referenced.
process.exit(0);

// Stopping suites: what the default solve delivers at its own stop, one image at a time, against the
// serial chain. 'stopping-calibration' sweeps the rule's tolerance on images and a seed the benchmarks
// never use; 'stopping' runs the default on the benchmark's images and times it (interleaved repeats).
import {
  runStoppingBenchmark,
  summarizeStopping,
  summarizeTiming,
  type StoppingSettings,
  type StoppingUnit,
  type TimingUnit,
} from '../../src/lib/bench/stoppingBenchmark.js';
import { SUBSET_FILES } from '../../src/lib/data/shippedSubset.js';
import { DEFAULT_RULE } from '../../src/lib/deq/solvers/solverDefaults.js';
import { loadBenchmarkSubset } from '../../src/lib/node/benchmarkSubset.js';
import { loadModelFile } from '../../src/lib/node/loadModelFile.js';
import { fileSha256, provenance } from '../../src/lib/node/provenance.js';
import { readResumable, writeResultsFile } from '../../src/lib/node/resumableResults.js';
import { progressPrinter } from './progress.js';

const PRIOR = 'models/fashion-unet-small.safetensors';
const TASKS = ['sr4', 'deblur', 'inpaint-box', 'cs25'] as const;

/** Images 8..8+n-1 with seed 1: none of them is a benchmark image (0..7, seed 0). */
export function calibrationSettings(quick: boolean, images?: number): StoppingSettings {
  const n = images ?? (quick ? 1 : 4);
  const imgs = Array.from({ length: n }, (_, i) => 8 + i);
  return {
    rule: DEFAULT_RULE,
    sets: [
      { name: 'calibration', images: imgs, seed: 1, Ts: quick ? [20] : [20, 50], tols: quick ? [0.01] : [0.005, 0.01, 0.02] },
      ...(quick ?
        []
      : [
          { name: 'calibration', images: imgs, seed: 1, Ts: [100], tols: [0.005, 0.01] },
          // Added once the runs above showed the errors adding up with T: the budget 0.2 / T at T = 50 and 100.
          { name: 'calibration', images: imgs, seed: 1, Ts: [50], tols: [0.004] },
          { name: 'calibration', images: imgs, seed: 1, Ts: [100], tols: [0.002] },
        ]),
    ],
    tasks: quick ? ['sr4'] : [...TASKS],
    prior: PRIOR,
    timing: { Ts: [], task: 'sr4', image: 8, seed: 1, repeats: 0 },
  };
}

/** The benchmark's images (0..n-1, seed 0) at the default tolerance, and the interleaved timing. */
export function stoppingSettings(quick: boolean, images?: number): StoppingSettings {
  const n = images ?? (quick ? 1 : 6);
  return {
    rule: DEFAULT_RULE,
    sets: [
      { name: 'benchmark', images: Array.from({ length: n }, (_, i) => i), seed: 0, Ts: quick ? [20] : [20, 50, 100], tols: ['default'] },
    ],
    tasks: quick ? ['sr4'] : [...TASKS],
    prior: PRIOR,
    timing: { Ts: quick ? [20] : [20, 50, 100], task: 'sr4', image: 0, seed: 0, repeats: quick ? 2 : 5 },
  };
}

async function run(backend: string, settings: StoppingSettings, out: string): Promise<void> {
  const started = performance.now();
  const images = `data/${SUBSET_FILES.images}`;
  const files = { [PRIOR]: fileSha256(PRIOR), [images]: fileSha256(images) };
  type File = { units?: StoppingUnit[]; timing?: TimingUnit[]; provenance?: { files?: Record<string, string> } };
  let priorTiming: TimingUnit[] = [];
  const prior = readResumable<StoppingUnit>(out, settings, (f) => {
    const file = f as File;
    if (JSON.stringify(file.provenance?.files) !== JSON.stringify(files)) return undefined;
    priorTiming = file.timing ?? [];
    return [...(file.units ?? []), ...priorTiming.map((t) => ({ key: t.key }) as StoppingUnit)];
  });
  process.stderr.write(`stopping: ${prior.note}\n`);
  const units = prior.units.filter((u) => !u.key.startsWith('timing|'));
  const timing = [...priorTiming];
  const prov = { ...provenance(settings, backend, files), ...(prior.earlier ? { resumedFrom: prior.earlier } : {}) };
  const save = (complete: boolean) =>
    writeResultsFile(
      out,
      JSON.stringify(
        { provenance: prov, complete, summary: summarizeStopping(units), timingSummary: summarizeTiming(timing), units, timing },
        null,
        1,
      ),
    );
  await runStoppingBenchmark({
    model: await loadModelFile(PRIOR),
    set: loadBenchmarkSubset(),
    settings,
    done: new Set(prior.units.map((u) => u.key)),
    onUnit: async (u) => {
      units.push({ ...u, gitCommit: prov.gitCommit });
      await save(false);
    },
    onTiming: async (u) => {
      timing.push({ ...u, gitCommit: prov.gitCommit });
      await save(false);
    },
    onProgress: progressPrinter(started),
  });
  await save(true);
  console.log(`\nDefault solve (${settings.rule} rule) at its own stop, one image at a time, ${backend}:\n`);
  console.log('set | T | tol | runs | depth mean ± CI (max) | NFE / T | ≥ 40 dB to serial | worst dB | wall / serial');
  for (const s of summarizeStopping(units))
    console.log(
      `${s.set} | ${s.T} | ${s.tol} | ${s.n} | ${s.depth.mean.toFixed(1)} ± ${s.depth.ci95.toFixed(1)} (${s.depth.max}) | ${s.nfePerT.mean.toFixed(1)} | ${s.atLeast40}/${s.n} | ${s.minPsnr.toFixed(1)} | ${s.wallRatio.mean.toFixed(1)}`,
    );
  for (const t of summarizeTiming(timing))
    console.log(
      `timing T=${t.T}: serial ${t.serialMs.toFixed(0)} ms, DeqIR ${t.deqMs.toFixed(0)} ms, ratio ${t.ratio.toFixed(2)} (range ${t.ratioMin.toFixed(2)}–${t.ratioMax.toFixed(2)}, ${t.repeats} interleaved repeats)`,
    );
  console.log(`\nwrote ${out} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

export const stoppingCalibrationSuite = (backend: string, quick: boolean, outPath?: string, opts: { images?: number } = {}) =>
  run(
    backend,
    calibrationSettings(quick, opts.images),
    outPath ?? (quick ? 'data/benchmarks/stopping-calibration-quick.json' : 'data/benchmarks/stopping-calibration.json'),
  );

export const stoppingSuite = (backend: string, quick: boolean, outPath?: string, opts: { images?: number } = {}) =>
  run(
    backend,
    stoppingSettings(quick, opts.images),
    outPath ?? (quick ? 'data/benchmarks/stopping-quick.json' : 'data/benchmarks/stopping.json'),
  );

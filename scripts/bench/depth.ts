// Depth suite: batched network calls in a row until each solver's x0 reaches the serial chain's,
// for T in {20, 50, 100} and four tasks with the shipped UNet; resumable unit by unit.
import {
  criterionRank,
  DEPTH_CRITERIA,
  runDepthBenchmark,
  type DepthCriterion,
  summarizeDepth,
  type DepthSettings,
  type DepthUnit,
} from '../../src/lib/bench/depthBenchmark.js';
import { SUBSET_FILES } from '../../src/lib/data/shippedSubset.js';
import { loadBenchmarkSubset } from '../../src/lib/node/benchmarkSubset.js';
import { loadModelFile } from '../../src/lib/node/loadModelFile.js';
import { fileSha256, provenance } from '../../src/lib/node/provenance.js';
import { readResumable, writeResultsFile } from '../../src/lib/node/resumableResults.js';
import { ANDERSON_DEFAULTS } from '../../src/lib/deq/solvers/solverDefaults.js';
import { DEFAULT_INIT } from '../../src/lib/deq/deqDefaults.js';
import { progressPrinter } from './progress.js';

const PRIOR = 'models/fashion-unet-small.safetensors';

export function depthSettings(quick: boolean, images?: number): DepthSettings {
  const n = images ?? (quick ? 2 : 8);
  return {
    Ts: quick ? [20] : [20, 50, 100],
    tasks: quick ? ['sr4'] : ['sr4', 'deblur', 'inpaint-box', 'cs25'],
    images: Array.from({ length: n }, (_, i) => i),
    seed: 0,
    variants: [
      { name: 'Picard', solver: { kind: 'picard' }, init: DEFAULT_INIT },
      // Spelled out (not the kit's defaults), so a resumed run keeps its settings when a default moves.
      { name: 'ParaTAA (m=3)', solver: { kind: 'taa', m: 3, lambda: 1e-3, beta: 1 }, init: DEFAULT_INIT },
      ...(quick ?
        []
      : ([
          // Cut to fit our two cores: the variants that lost at T = 20 and 50 are not run at T = 100.
          { name: 'ParaTAA (m=2)', solver: { kind: 'taa', m: 2, lambda: 1e-3, beta: 1 }, init: DEFAULT_INIT, onlyT: [20, 50] },
          {
            name: `reference per-row Anderson (m=${ANDERSON_DEFAULTS.m}, x_T start)`,
            solver: { kind: 'anderson-per-row', ...ANDERSON_DEFAULTS },
            init: 'xT',
            onlyT: [20, 50],
          },
        ] as DepthSettings['variants'])),
    ],
    chunkSize: 200,
    prior: PRIOR,
  };
}

/**
 * Solver ideas that did not become the default, against Picard and ParaTAA on the same problems:
 * the chain form of the map, damped Picard and a coarse-to-fine start (T = 20, two tasks).
 */
export function depthVariantSettings(quick: boolean, images?: number): DepthSettings {
  const n = images ?? (quick ? 2 : 8);
  const taa = { kind: 'taa', m: 3, lambda: 1e-3, beta: 1 } as const;
  return {
    Ts: [20],
    tasks: quick ? ['sr4'] : ['sr4', 'deblur'],
    images: Array.from({ length: n }, (_, i) => i),
    seed: 0,
    variants: [
      { name: 'Picard', solver: { kind: 'picard' }, init: DEFAULT_INIT },
      { name: 'ParaTAA (m=3)', solver: taa, init: DEFAULT_INIT },
      { name: 'Picard, chain form', solver: { kind: 'picard' }, init: DEFAULT_INIT, form: 'chain' },
      { name: 'ParaTAA (m=3), chain form', solver: taa, init: DEFAULT_INIT, form: 'chain' },
      { name: 'Picard damped (beta=0.8)', solver: { kind: 'picard', beta: 0.8 }, init: DEFAULT_INIT },
      {
        name: 'Picard damped (beta=0.8), exact rows undamped',
        solver: { kind: 'picard', beta: 0.8, triangular: true },
        init: DEFAULT_INIT,
      },
      { name: 'ParaTAA (m=3, beta=0.8)', solver: { ...taa, beta: 0.8 }, init: DEFAULT_INIT },
      { name: 'ParaTAA (m=3), coarse start (K=5)', solver: taa, init: DEFAULT_INIT, coarseSteps: 5 },
    ],
    chunkSize: 200,
    prior: PRIOR,
  };
}

export const depthVariantSuite = (
  backend: string,
  quick: boolean,
  outPath?: string,
  opts: { images?: number; stopAt?: DepthCriterion } = {},
) =>
  depthSuite(
    backend,
    quick,
    outPath ?? (quick ? 'data/benchmarks/depth-variants-quick.json' : 'data/benchmarks/depth-variants.json'),
    opts,
    depthVariantSettings,
  );

export async function depthSuite(
  backend: string,
  quick: boolean,
  outPath?: string,
  opts: { images?: number; stopAt?: DepthCriterion } = {},
  settingsOf: (quick: boolean, images?: number) => DepthSettings = depthSettings,
): Promise<void> {
  const settings = settingsOf(quick, opts.images);
  const out = outPath ?? (quick ? 'data/benchmarks/depth-quick.json' : 'data/benchmarks/depth.json');
  const started = performance.now();
  const images = `data/${SUBSET_FILES.images}`;
  const files = { [PRIOR]: fileSha256(PRIOR), [images]: fileSha256(images) };
  const prior = readResumable<DepthUnit>(out, settings, (f) => {
    const file = f as { units?: DepthUnit[]; provenance?: { files?: Record<string, string> } };
    return JSON.stringify(file.provenance?.files) === JSON.stringify(files) ? file.units : undefined;
  });
  process.stderr.write(`depth: ${prior.note}\n`);
  const stopAt = opts.stopAt ?? 'abs1e3';
  // A unit cut at a laxer criterion than this run's is measured again (and replaced).
  const enough = (u: DepthUnit) => criterionRank(u.stoppedAt ?? 'abs1e3') >= criterionRank(stopAt);
  const units = prior.units.filter(enough);
  if (units.length < prior.units.length)
    process.stderr.write(`depth: ${prior.units.length - units.length} units cut at a laxer criterion are measured again\n`);
  const prov = { ...provenance(settings, backend, files), ...(prior.earlier ? { resumedFrom: prior.earlier } : {}) };
  const save = (complete: boolean) =>
    writeResultsFile(
      out,
      JSON.stringify({ provenance: prov, complete, criteria: DEPTH_CRITERIA, summary: summarizeDepth(units), units }, null, 1),
    );
  await runDepthBenchmark({
    model: await loadModelFile(PRIOR),
    set: loadBenchmarkSubset(),
    settings,
    done: new Set(units.map((u) => u.key)),
    stopAt,
    onUnit: async (u) => {
      units.push({ ...u, gitCommit: prov.gitCommit });
      await save(false);
    },
    onProgress: progressPrinter(started),
  });
  await save(true);
  const fmt = (c: { mean: number | null; reached: number; max: number | null }, n: number) =>
    c.mean === null ? '—' : `${c.mean.toFixed(1)}${c.reached < n ? ` (${c.reached}/${n})` : ` (max ${c.max})`}`;
  console.log(
    `\nSequential depth (batched network calls in a row) until x0 meets each criterion; mean over images (worst image), ${backend}:\n`,
  );
  console.log(['T', 'task', 'solver', ...DEPTH_CRITERIA.map((c) => c.label), 'ms / iteration'].join(' | '));
  for (const s of summarizeDepth(units))
    console.log(
      [
        s.T,
        s.task,
        s.solver,
        fmt(s.criteria.psnr40, s.n),
        fmt(s.criteria.bit8, s.n),
        fmt(s.criteria.abs1e3, s.n),
        s.wallMsPerIteration.toFixed(0),
      ].join(' | '),
    );
  console.log(`\nwrote ${out} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

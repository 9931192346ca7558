// Quality suite: every restoration method on every task, PSNR/SSIM/consistency/FD-cls and costs,
// resumable cell by cell (task x sigma_y x method) from the results file it rewrites as it goes.
import {
  colourQualitySettings,
  fullQualitySettings,
  QUICK_QUALITY_SETTINGS,
  type QualitySettings,
} from '../../src/lib/bench/qualitySettings.js';
import { referenceMethodName, serialChainOf } from '../../src/lib/bench/restorationMethods.js';
import { summarizeCells, summaryCsv, type CellResult } from '../../src/lib/bench/restorationBenchmark.js';
import { provenance } from '../../src/lib/node/provenance.js';
import { readResumable, writeResultsFile, type EarlierRun } from '../../src/lib/node/resumableResults.js';
import { qualityInputHashes, runQualityBenchmark } from '../../src/lib/node/runQualityBenchmark.js';
import { progressPrinter } from './progress.js';

export interface QualityRunOptions {
  images?: number;
  model?: string;
  /** Measure the cells from the last: a second process on another core works towards the first. */
  reverse?: boolean;
  /** More results files of the same run (settings and inputs equal) whose cells are reused, e.g. a reversed second process's. */
  also?: string[];
}

export async function qualitySuite(backend: string, quick: boolean, outPath?: string, opts: QualityRunOptions = {}): Promise<void> {
  const settings = quick ? QUICK_QUALITY_SETTINGS : fullQualitySettings(opts.images);
  await runQualitySuite(
    settings,
    backend,
    quick,
    outPath ?? (quick ? 'data/benchmarks/quality-quick.json' : 'data/benchmarks/quality.json'),
    opts,
  );
}

/** The colour prior's run: colorization, SR x4 and box inpainting on the emoji subset. */
export async function colourQualitySuite(backend: string, quick: boolean, outPath?: string, opts: QualityRunOptions = {}): Promise<void> {
  if (quick) throw new Error('bench: quality-colour has no --quick slice; use --images N for a small run');
  await runQualitySuite(colourQualitySettings(opts.images), backend, false, outPath ?? 'data/benchmarks/quality-colour.json', opts);
}

async function runQualitySuite(
  settings: QualitySettings,
  backend: string,
  quick: boolean,
  out: string,
  opts: QualityRunOptions,
): Promise<void> {
  const reference = referenceMethodName(settings.methods);
  const chains = serialChainOf(settings.methods);
  const started = performance.now();
  // Hashed once, before loading: a training run may rewrite models/ while this one runs.
  const files = qualityInputHashes(settings, opts.model);
  // Cells measured with other weights, classifier or images are not reused.
  const read = (path: string) =>
    readResumable<CellResult>(path, settings, (f) => {
      const file = f as { cells?: CellResult[]; provenance?: { files?: Record<string, string> } };
      return JSON.stringify(file.provenance?.files) === JSON.stringify(files) ? file.cells : undefined;
    });
  const prior = read(out);
  process.stderr.write(`quality: ${prior.note}\n`);
  const known = new Map(prior.units.map((c) => [c.key, c]));
  const earlier = [...(prior.earlier ?? [])];
  for (const path of opts.also ?? []) {
    const more = read(path);
    const fresh = more.units.filter((c) => !known.has(c.key));
    process.stderr.write(`quality: --also ${path}: ${more.units.length ? `${fresh.length} more cells` : more.note}\n`);
    for (const c of fresh) known.set(c.key, c);
    if (fresh.length) earlier.push(...(more.earlier ?? []));
  }
  const cells = [...known.values()];
  let cleanAccuracy: number | null = null;
  if (opts.model) process.stderr.write(`quality: prior weights read from ${opts.model} (sha256 ${files[settings.prior].slice(0, 12)}…)\n`);
  // Taken at the start: the commit and inputs this run measures, whatever changes while it runs.
  const prov = { ...provenance(settings, backend, files), ...(earlier.length ? { resumedFrom: uniqueRuns(earlier) } : {}) };
  const save = async (complete: boolean) => {
    const body = { provenance: prov, complete, reference, cleanAccuracy, summary: summarizeCells(cells, reference, chains), cells };
    await writeResultsFile(out, JSON.stringify(body, null, 1));
    // The CSV summary follows every save, so a partial run's files agree with each other.
    if (!quick) await writeResultsFile(out.replace(/\.json$/, '.csv'), summaryCsv(body.summary));
  };
  const r = await runQualityBenchmark(settings, {
    modelFile: opts.model,
    reverse: opts.reverse,
    done: new Map(cells.map((c) => [c.key, c])),
    onCell: async (c) => {
      cells.push({ ...c, gitCommit: prov.gitCommit });
      await save(false);
    },
    onProgress: progressPrinter(started),
  });
  cleanAccuracy = r.cleanAccuracy;
  // Table order, whatever order the cells were measured in (resumed runs).
  const order = (c: CellResult) => settings.cells.findIndex((t) => t.preset === c.task && t.sigmaY === c.sigmaY);
  cells.sort((a, b) => order(a) - order(b));
  await save(true);
  const summary = summarizeCells(cells, reference, chains);
  console.log(`\nMean over ${settings.images.length} images (± 95 % CI), ${backend}:\n`);
  console.log(
    `task | σ_y | method | n | PSNR dB | PSNR − ${reference} (paired) | SSIM | ||A x0 − y|| | label kept | iterations | NFE | wall s/image`,
  );
  for (const s of summary) {
    const vs =
      s.psnrVsReference ?
        `${s.psnrVsReference.mean >= 0 ? '+' : ''}${s.psnrVsReference.mean.toFixed(2)} ± ${s.psnrVsReference.ci95.toFixed(2)}`
      : '—';
    console.log(
      [
        s.task,
        s.sigmaY,
        s.method,
        s.n,
        `${s.psnr.mean.toFixed(2)} ± ${s.psnr.ci95.toFixed(2)}`,
        vs,
        s.ssim.mean.toFixed(3),
        s.consistency.mean.toExponential(1),
        `${(100 * s.correct.mean).toFixed(0)} %`,
        s.iterations.mean.toFixed(1),
        s.nfe.mean.toFixed(0),
        (s.wallMs.mean / 1000).toFixed(2),
      ].join(' | '),
    );
  }
  console.log(
    `\nThe classifier labels ${(100 * r.cleanAccuracy).toFixed(1)} % of the ${settings.images.length} clean images correctly (the ceiling for 'label kept').`,
  );
  console.log(`wrote ${out} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

/** The earlier runs, each once (two files of one run name the same ones). */
const uniqueRuns = (runs: EarlierRun[]) => [...new Map(runs.map((r) => [`${r.gitCommit}|${r.date}`, r])).values()];

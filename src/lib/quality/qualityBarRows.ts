import { partVerdicts, type Verdict } from './cardQuality.js';
import { COVERAGE_MIN_SHARE } from './classCoverage.js';
import { FD_BAR_RATIO } from './fdSamples.js';
// Type only: erased, so the pages that render cards still import no TF.js through this file.
import type { PairedFdSanity } from './pairedFdSanity.js';

/**
 * A model card's quality bar as table rows (measure, value, bar, verdict): one wording for the
 * site's prior page and the generated blocks of docs/results.md, read from what the card records. Cards
 * written before the colour prior keep one restoration task in a flat record; later ones list
 * several under `tasks`.
 */

interface SanityRecord {
  task: string;
  /** The task's registry key (colorize, sr4, ...); cards from before the colour prior lack it. */
  taskName?: string;
  T: number;
  images: number;
  psnrApy: number;
  psnrSerial: number;
  deq: {
    images: number;
    solver: { kind: string; m?: number };
    psnr: number;
    psnrApySameImages: number;
    meanIterations: number;
    converged: number;
  };
  passes: boolean;
  /** Colorization's judge (sanityMeasure.ts); cards from before it was recorded were judged by PSNR. */
  pairedFdCls?: Pick<PairedFdSanity, 'fdRestored' | 'fdBaseline' | 'difference' | 'ci95' | 'resamples' | 'passes'>;
}

export interface CardQualityRecord {
  status?: string;
  classifier?: { architecture: string; testAccuracy: number };
  fdCls?: { model: number; trainFloor: number; naiveGaussian: number; ratioModelToNaive: number; bar: string; passes: boolean };
  samples?: number;
  referenceImages?: number;
  floorImages?: number;
  sampler?: string;
  sampleSeconds?: number;
  classCoverage?: { shares: Record<string, number>; minShare: number; minShareClasses?: string[]; passes: boolean };
  restorationSanity?: ((SanityRecord | { tasks: SanityRecord[]; passes: boolean }) & { command?: string }) | string;
  verdicts?: { all: string };
  command?: string;
}

export type QualityBarRow = [measure: string, value: string, bar: string, verdict: string];

/** Numbers as the pages print them: grouped thousands, at most `digits` decimals. */
export const formatNumber = (v: number | null | undefined, digits = 0): string =>
  v == null || !Number.isFinite(v) ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: digits });

/** The bar's thresholds: the FD ratio as the card states it (older cards included), coverage from classCoverage.ts. */
export function qualityBars(q: CardQualityRecord | null | undefined): { fdRatio: number; coveragePercent: number } {
  const m = /<=\s*([\d.]+)\s*FD\(naive\)/.exec(q?.fdCls?.bar ?? '');
  return { fdRatio: m ? Number(m[1]) : FD_BAR_RATIO, coveragePercent: 100 * COVERAGE_MIN_SHARE };
}

/** The commands behind the record: FD and coverage, and restoration sanity's own where it names one. */
function commandsOf(q: CardQualityRecord): string {
  const sanity = typeof q.restorationSanity === 'object' ? q.restorationSanity.command : undefined;
  if (!sanity || sanity === q.command) return `Command: ${q.command ?? '—'}`;
  return `FD-cls and coverage: ${q.command ?? '—'}; restoration sanity: ${sanity}`;
}

const verdict = (passes: boolean) => (passes ? 'passes' : 'fails');

const sanityTasks = (r: CardQualityRecord['restorationSanity']): SanityRecord[] | null =>
  typeof r === 'object' && r ?
    'tasks' in r ?
      r.tasks
    : [r]
  : null;

/** One task's restoration sanity record on a card (by registry key), or null where none is recorded. */
export const sanityTask = (q: CardQualityRecord | null | undefined, taskName: string): SanityRecord | null =>
  sanityTasks(q?.restorationSanity)?.find((t) => t.taskName === taskName) ?? null;

function sanityRows(r: SanityRecord): QualityBarRow[] {
  const solver = r.deq.solver.kind === 'anderson' && r.deq.solver.m ? `Anderson (m = ${r.deq.solver.m})` : r.deq.solver.kind;
  const what = `${r.task}, ${formatNumber(r.images)} images, T = ${r.T}: serial chain (= DeqIR's fixed point) vs A⁺y`;
  const psnr = `${formatNumber(r.psnrSerial, 2)} vs ${formatNumber(r.psnrApy, 2)} dB`;
  const fd = r.pairedFdCls;
  const judged: QualityBarRow[] =
    fd ?
      [
        [
          `${what}, FD-cls of each ↔ the originals`,
          `${formatNumber(fd.fdRestored, 2)} vs ${formatNumber(fd.fdBaseline, 2)}; difference ${formatNumber(fd.difference, 1)}, ` +
            `95 % CI ${formatNumber(fd.ci95[0], 1)} to ${formatNumber(fd.ci95[1], 1)} (paired bootstrap, ${formatNumber(fd.resamples)} resamples)`,
          'CI below 0',
          verdict(r.passes),
        ],
        ['… PSNR of the same restorations (not judged: colour is all null space, PSNR prefers the grey copy)', psnr, '', 'reported'],
      ]
    : [[what, psnr, 'beats A⁺y', verdict(r.passes)]];
  return [
    ...judged,
    [
      `… DeqIR solved by ${solver}, first ${r.deq.images} images`,
      `${formatNumber(r.deq.psnr, 2)} vs ${formatNumber(r.deq.psnrApySameImages, 2)} dB`,
      '',
      `${formatNumber(r.deq.meanIterations, 1)} iterations, ${r.deq.converged} of ${r.deq.images} converged`,
    ],
  ];
}

/**
 * The whole bar's verdict: the card's own (cardQuality.ts) or, for cards written before verdicts were
 * recorded, recomputed from the parts by the rule cardQuality.ts records verdicts with.
 */
export function barVerdict(q: CardQualityRecord | null | undefined): Verdict {
  const v = q?.verdicts?.all;
  if (v === 'passes' || v === 'fails' || v === 'not measured') return v;
  return partVerdicts(q ?? {}).all;
}

/**
 * The rows of a card's quality record, or null when FD-cls was not measured on its weights (then
 * `status` says what to run). Restoration sanity without FD-cls is not shown alone: the bar is one.
 */
export function qualityBarRows(q: CardQualityRecord | null | undefined): { rows: QualityBarRow[]; caption: string } | null {
  if (!q?.fdCls || !q.classCoverage) return null;
  const bars = qualityBars(q);
  const fd = q.fdCls;
  const cov = q.classCoverage;
  // Cards from before minShareClasses was recorded: the classes at the smallest share.
  const smallest = cov.minShareClasses ?? Object.keys(cov.shares).filter((c) => cov.shares[c] === cov.minShare);
  const testImages = q.referenceImages === undefined ? 'test images' : `${formatNumber(q.referenceImages)} test images`;
  const rows: QualityBarRow[] = [
    [
      `FD-cls, ${formatNumber(q.samples)} model samples ↔ ${testImages}`,
      formatNumber(fd.model, 2),
      `≤ ${bars.fdRatio} × naive = ${formatNumber(bars.fdRatio * fd.naiveGaussian, 2)}`,
      `${verdict(fd.passes)} (ratio ${formatNumber(fd.ratioModelToNaive, 3)})`,
    ],
    [
      `FD-cls floor: ${q.floorImages === undefined ? 'held-out' : formatNumber(q.floorImages)} training images ↔ ${testImages}`,
      formatNumber(fd.trainFloor, 2),
      'reference',
      '',
    ],
    [`FD-cls of a diagonal Gaussian fitted to the training pixels`, formatNumber(fd.naiveGaussian, 2), 'reference', ''],
    [
      `smallest class share of the samples${smallest.length ? ` (${smallest.join(', ')})` : ''}`,
      `${formatNumber(100 * cov.minShare, 1)} %`,
      `≥ ${formatNumber(bars.coveragePercent)} %`,
      verdict(cov.passes),
    ],
  ];
  const tasks = sanityTasks(q.restorationSanity);
  if (tasks) for (const t of tasks) rows.push(...sanityRows(t));
  else rows.push(['restoration sanity', 'not measured', '', '']);
  rows.push(['the whole bar', '', '', barVerdict(q)]);
  const clf = q.classifier;
  return {
    rows,
    caption:
      `${formatNumber(q.samples)} samples (${q.sampler}${q.sampleSeconds ? `, drawn in ${formatNumber(q.sampleSeconds)} s` : ''})` +
      `${clf ? `; classifier ${clf.architecture}, test accuracy ${formatNumber(100 * clf.testAccuracy, 1)} %` : ''}. ${commandsOf(q)}`,
  };
}

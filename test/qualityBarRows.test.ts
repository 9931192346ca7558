import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { priorCardReport, type PriorCard } from '../src/lib/bench/cardReport.js';
import {
  barVerdict,
  formatNumber,
  qualityBarRows,
  qualityBars,
  sanityTask,
  type CardQualityRecord,
} from '../src/lib/quality/qualityBarRows.js';
import { trainingStatus, trainingStatusText } from '../src/lib/quality/trainingStatus.js';

const greyCard = () => JSON.parse(readFileSync('models/fashion-unet-small.card.json', 'utf8'));

const sanity = (task: string, passes: boolean) => ({
  task,
  T: 20,
  images: 256,
  psnrApy: 15,
  psnrSerial: passes ? 17 : 14,
  deq: { images: 16, solver: { kind: 'anderson', m: 5 }, psnr: 16.5, psnrApySameImages: 15.1, meanIterations: 12.25, converged: 16 },
  passes,
});
const measured = (restorationSanity: CardQualityRecord['restorationSanity']): CardQualityRecord => ({
  classifier: { architecture: 'small CNN', testAccuracy: 0.682 },
  fdCls: { model: 30, trainFloor: 2, naiveGaussian: 200, ratioModelToNaive: 0.15, bar: 'FD(model) <= 0.2 FD(naive)', passes: true },
  samples: 2000,
  referenceImages: 368,
  floorImages: 2000,
  sampler: 'DDIM eta = 0, T = 50 uniform',
  classCoverage: { shares: { a: 0.5, b: 0.46, c: 0.04 }, minShare: 0.04, minShareClasses: ['c'], passes: true },
  restorationSanity,
  command: 'npx tsx scripts/quality.ts --model m',
});

describe("a model card's quality bar, as the prior page and the README show it", () => {
  it("the grey card's rows are its record: FD-cls against the bar, floor, naive Gaussian, coverage, SR x4 sanity", () => {
    const q = greyCard().quality;
    const r = qualityBarRows(q)!;
    const byMeasure = (start: string) => r.rows.find((row) => row[0].startsWith(start))!;
    expect(byMeasure('FD-cls, 2,000 model samples')).toEqual([
      expect.any(String),
      formatNumber(q.fdCls.model, 2),
      `≤ 0.2 × naive = ${formatNumber(0.2 * q.fdCls.naiveGaussian, 2)}`,
      `passes (ratio ${formatNumber(q.fdCls.ratioModelToNaive, 3)})`,
    ]);
    expect(byMeasure('FD-cls floor')[1]).toBe(formatNumber(q.fdCls.trainFloor, 2));
    // A card from before minShareClasses was recorded: the classes at the smallest share are named.
    const cov = byMeasure('smallest class share');
    expect(cov[0]).toContain(
      Object.keys(q.classCoverage.shares)
        .filter((c) => q.classCoverage.shares[c] === q.classCoverage.minShare)
        .join(', '),
    );
    expect(cov.slice(1)).toEqual([`${formatNumber(100 * q.classCoverage.minShare, 1)} %`, '≥ 3 %', 'passes']);
    expect(byMeasure(q.restorationSanity.task)[1]).toBe(
      `${formatNumber(q.restorationSanity.psnrSerial, 2)} vs ${formatNumber(q.restorationSanity.psnrApy, 2)} dB`,
    );
    expect(r.rows.at(-1)).toEqual(['the whole bar', '', '', 'passes']);
    expect(r.caption).toContain(q.command);
  });

  it('the caption names the command of each part it shows: FD and coverage, and restoration sanity where its record has its own', () => {
    const own = { ...sanity('SR x4', true), command: 'npx tsx scripts/quality.ts --model m --restoration-images 256 --deq-images 16' };
    const caption = qualityBarRows(measured(own))!.caption;
    expect(caption).toContain('FD-cls and coverage: npx tsx scripts/quality.ts --model m;');
    expect(caption).toContain(`restoration sanity: ${own.command}`);
    expect(qualityBarRows(measured(sanity('SR x4', true)))!.caption).toMatch(/Command: npx tsx scripts\/quality.ts --model m$/);
  });

  it('a record with several restoration tasks gets a pair of rows per task, and one failing task fails the bar', () => {
    const q = measured({ tasks: [sanity('colorization', true), sanity('SR x4', true), sanity('box inpainting', false)], passes: false });
    const rows = qualityBarRows(q)!.rows;
    for (const task of ['colorization', 'SR x4', 'box inpainting'])
      expect(rows.filter((r) => r[0].startsWith(`${task}, 256 images, T = 20`))).toHaveLength(1);
    expect(rows.filter((r) => r[0].startsWith('… DeqIR solved by Anderson (m = 5), first 16 images'))).toHaveLength(3);
    expect(rows.find((r) => r[0].startsWith('box inpainting'))![3]).toBe('fails');
    expect(barVerdict(q)).toBe('fails');
    expect(rows.at(-1)![3]).toBe('fails');
  });

  it("one task's sanity record is found by its registry key, in a task list or in an old flat record, and is null where absent", () => {
    const colourise = { ...sanity('colorization', true), taskName: 'colorize' };
    const listed = measured({ tasks: [{ ...sanity('SR x4', true), taskName: 'sr4' }, colourise], passes: true });
    expect(sanityTask(listed, 'colorize')).toEqual(colourise);
    expect(sanityTask(listed, 'deblur')).toBeNull();
    expect(sanityTask(measured(colourise), 'colorize')).toEqual(colourise);
    // Cards from before the colour prior recorded no task key, and a card may be unmeasured.
    expect(sanityTask(greyCard().quality, 'sr4')).toBeNull();
    expect(sanityTask(measured('not measured'), 'colorize')).toBeNull();
    expect(sanityTask(undefined, 'colorize')).toBeNull();
  });

  it("the card's recorded verdict wins; without one the parts decide, and a missing part leaves it unmeasured", () => {
    expect(barVerdict({ ...measured(sanity('SR x4', true)), verdicts: { all: 'fails' } })).toBe('fails');
    expect(barVerdict(measured(sanity('SR x4', true)))).toBe('passes');
    expect(barVerdict(measured('not measured'))).toBe('not measured');
    expect(barVerdict({ ...measured('not measured'), classCoverage: { shares: {}, minShare: 0.01, passes: false } })).toBe('fails');
    expect(barVerdict(null)).toBe('not measured');
    expect(qualityBarRows(measured('not measured'))!.rows).toContainEqual(['restoration sanity', 'not measured', '', '']);
  });

  it('a card whose FD-cls was not measured has no rows; its README block says what to run', () => {
    expect(qualityBarRows({ status: 'not measured yet: npm run quality' })).toBeNull();
    const card: PriorCard = {
      training: { steps: 100, batchSize: 32, finalLoss: 0.05, command: 'npm run train -- --steps 8000' },
      quality: { status: 'not measured yet: npm run quality' },
    };
    const block = priorCardReport(card, 'emoji');
    expect(block).toContain('These weights are still in training: 100 of 8,000 steps; their quality bar has not been measured on them');
    expect(block).toContain('Quality bar: not measured yet: npm run quality.');
    expect(block).not.toContain('| quality bar |');
  });

  it('the FD bar is the ratio the card states, coverage the classCoverage bar', () => {
    expect(qualityBars({ fdCls: { ...measured('not measured').fdCls!, bar: 'FD(model) <= 0.25 FD(naive)' } })).toEqual({
      fdRatio: 0.25,
      coveragePercent: 3,
    });
    expect(qualityBars(null)).toEqual({ fdRatio: 0.2, coveragePercent: 3 });
  });

  it('the training sentence says where the run stands and what the bar says', () => {
    expect(
      trainingStatusText(trainingStatus({ training: { steps: 8000, command: '--steps 8000' }, quality: measured(sanity('SR x4', true)) })),
    ).toBe("These weights are their training run's last, after 8,000 steps; they pass their quality bar");
    expect(trainingStatusText(trainingStatus({ training: { steps: 5075, command: '--steps 8000' }, quality: null }))).toBe(
      'These weights are still in training: 5,075 of 8,000 steps; their quality bar has not been measured on them, so nothing here claims it',
    );
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/lib/errors.js';
import { TASKS, taskTakesChannels } from '../../src/lib/operators/taskRegistry.js';
import { TRAINING_RECIPES } from '../../src/lib/training/recipes.js';
import { checkJobData } from '../../src/lib/site/checkJob.js';
import {
  DEFAULT_SETTINGS,
  maskToHex,
  settingsFromParams,
  settingsToParams,
  siteTasks,
  withDataset,
} from '../../src/lib/site/jobSettings.js';
import { SITE_DATASETS, SITE_PRIORS, imageSize, planeSize } from '../../src/lib/site/sitePriors.js';
import { EMOJI_SUBSET, PICKER_IMAGES } from '../../src/lib/data/shippedSubset.js';
import { loadBenchmarkSubset } from '../../src/lib/node/benchmarkSubset.js';
import { COLORIZE_CATEGORIES, colorizeImages } from '../../src/lib/site/colorizeDemo.js';

describe('the site priors', () => {
  it('are the training recipes: weight file, shape and subset come from one definition', () => {
    for (const d of SITE_DATASETS) {
      const r = TRAINING_RECIPES[d];
      expect(SITE_PRIORS[d].weights).toBe(`${r.modelName}.safetensors`);
      expect([SITE_PRIORS[d].card, SITE_PRIORS[d].samples]).toEqual([`${r.modelName}.card.json`, `${r.modelName}.samples.png`]);
      expect([...SITE_PRIORS[d].shape]).toEqual([...r.config.imageShape]);
      expect(SITE_PRIORS[d].subset).toBe(r.subset);
    }
    expect(imageSize('emoji')).toBe(32 * 32 * 3);
    expect(planeSize('emoji')).toBe(32 * 32);
    expect(imageSize('fashion')).toBe(28 * 28);
  });

  it('offer colorize only with colour, first, and only tasks the prior can run', () => {
    expect(siteTasks('emoji')[0]).toBe('colorize');
    expect(siteTasks('fashion')).not.toContain('colorize');
    for (const d of SITE_DATASETS) for (const t of siteTasks(d)) expect(taskTakesChannels(t, SITE_PRIORS[d].shape[2])).toBe(true);
    // Every grey task also runs on colour (the operators act on each channel alike).
    for (const t of siteTasks('fashion')) expect(siteTasks('emoji')).toContain(t);
    expect(TASKS.colorize.channels).toBe(3);
  });

  it('pick images from the picker half only, and the emoji credit names both licences', () => {
    for (const d of SITE_DATASETS) expect(SITE_PRIORS[d].picker.every((i) => i >= 0 && i < PICKER_IMAGES)).toBe(true);
    expect(SITE_PRIORS.emoji.attribution).toMatch(/Twemoji.*CC BY 4\.0.*Noto Emoji.*Apache License 2\.0/);
    expect(SITE_PRIORS.fashion.attribution).toBeNull();
  });

  it('match the literal file names of the pages (Framework needs literals) and what bundleSite copies', () => {
    const site = readFileSync('src/pages/components/site.js', 'utf8');
    for (const d of SITE_DATASETS) {
      const p = SITE_PRIORS[d];
      for (const f of [p.weights, p.subset.images, p.subset.labels]) expect(site).toContain(`FileAttachment("../_deqir/${f}")`);
    }
  });
});

describe('the dataset setting', () => {
  it('defaults to grey and is left out of a default link', () => {
    expect(DEFAULT_SETTINGS.dataset).toBe('fashion');
    expect(settingsToParams(DEFAULT_SETTINGS).toString()).toBe('');
  });

  it('round-trips the colour prior with colorize and a 32x32 mask', () => {
    const mask = Uint8Array.from({ length: 1024 }, (_, i) => (i % 5 ? 1 : 0));
    const s = { ...DEFAULT_SETTINGS, dataset: 'emoji' as const, task: 'inpaint-box' as const, image: 40, mask };
    const p = settingsToParams(s);
    expect(p.get('dataset')).toBe('emoji');
    expect(p.get('mask')).toHaveLength(256);
    expect(settingsFromParams(new URLSearchParams(p.toString()))).toEqual(s);
    const c = settingsFromParams(new URLSearchParams('dataset=emoji&task=colorize'));
    expect([c.dataset, c.task]).toEqual(['emoji', 'colorize']);
  });

  it('refuses what the prior cannot take: colorize with grey, a mask of the other size, an unknown dataset', () => {
    expect(settingsFromParams(new URLSearchParams('task=colorize')).task).toBe(DEFAULT_SETTINGS.task);
    const grey784 = maskToHex(new Uint8Array(784).fill(1));
    expect(settingsFromParams(new URLSearchParams(`dataset=emoji&mask=${grey784}`)).mask).toBeNull();
    expect(settingsFromParams(new URLSearchParams('dataset=mnist')).dataset).toBe('fashion');
    expect(settingsFromParams(new URLSearchParams('dataset=__proto__')).dataset).toBe('fashion');
    // A base whose task the chosen prior cannot run falls back to that prior's first task.
    expect(settingsFromParams(new URLSearchParams(''), { ...DEFAULT_SETTINGS, dataset: 'emoji', task: 'colorize' }).task).toBe('colorize');
    expect(
      settingsFromParams(new URLSearchParams('dataset=fashion'), { ...DEFAULT_SETTINGS, dataset: 'emoji', task: 'colorize' }).task,
    ).toBe('sr4');
  });

  it('switching prior: the default task follows (sr4 -> colorize), a chosen one stays, the mask goes', () => {
    const grey = { ...DEFAULT_SETTINGS, mask: new Uint8Array(784) };
    const colour = withDataset(grey, 'emoji');
    expect([colour.dataset, colour.task, colour.mask]).toEqual(['emoji', 'colorize', null]);
    expect(withDataset({ ...DEFAULT_SETTINGS, task: 'deblur' }, 'emoji').task).toBe('deblur');
    expect(withDataset(colour, 'fashion').task).toBe('sr4');
    expect(withDataset({ ...colour, task: 'cs25' }, 'fashion').task).toBe('cs25');
    expect(withDataset(grey, 'fashion')).toBe(grey);
  });
});

describe('the worker refuses a job whose data does not fit the prior', () => {
  const job = (over: Partial<typeof DEFAULT_SETTINGS>, n: number) => ({
    kind: 'demo' as const,
    settings: { ...DEFAULT_SETTINGS, ...over },
    truth: new Float32Array(n),
  });
  const fieldOf = (f: () => void) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ParameterError);
      return (e as ParameterError).field;
    }
    return 'no error';
  };

  it('accepts fitting jobs', () => {
    expect(() => checkJobData(job({ dataset: 'emoji', task: 'colorize' }, 3072), 'emoji')).not.toThrow();
    expect(() => checkJobData(job({}, 784), 'fashion')).not.toThrow();
  });

  it('names the field at fault', () => {
    expect(fieldOf(() => checkJobData(job({ task: 'colorize' }, 784), 'fashion'))).toBe('task');
    expect(fieldOf(() => checkJobData(job({ dataset: 'emoji' }, 784), 'emoji'))).toBe('truth');
    expect(fieldOf(() => checkJobData(job({ dataset: 'emoji', task: 'inpaint-box', mask: new Uint8Array(784) }, 3072), 'emoji'))).toBe(
      'mask',
    );
    expect(fieldOf(() => checkJobData(job({}, 784), 'mnist' as never))).toBe('dataset');
  });
});

describe("the Overview's colorization demo images", () => {
  it('are one picker image of each demo category, so the page menu can show each', () => {
    const set = loadBenchmarkSubset('data', EMOJI_SUBSET);
    const images = colorizeImages(set);
    expect(images.every((i) => SITE_PRIORS.emoji.picker.includes(i))).toBe(true);
    expect(images.map((i) => EMOJI_SUBSET.classNames[set.labels[i]])).toEqual([...COLORIZE_CATEGORIES]);
  });
});

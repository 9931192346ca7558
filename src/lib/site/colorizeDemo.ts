import type { LabelledImages } from '../data/labelledImages.js';
import { encodeImage } from './imageCodec.js';
import { DEFAULT_SETTINGS, type JobSettings } from './jobSettings.js';
import { SITE_PRIORS } from './sitePriors.js';
import type { DemoResult } from './jobs/demo.js';

/**
 * The overview's colorization demo: the colour prior restores the grey (channel mean) version of
 * a few emoji. Its first view is computed at build time (src/pages/data/colorize.json.ts) with the
 * same job (runDemo) and settings the page's "run it" sends to the worker. Browser-safe.
 */
export const COLORIZE_SETTINGS: JobSettings = { ...DEFAULT_SETTINGS, dataset: 'emoji', task: 'colorize' };

/** One emoji from each of these categories (its first in the page's picker), so the demo is not all faces. */
export const COLORIZE_CATEGORIES = ['Smileys & Emotion', 'Animals & Nature', 'Food & Drink'] as const;

export function colorizeImages(set: LabelledImages): number[] {
  const names = SITE_PRIORS.emoji.subset.classNames;
  // From the picker's images only, so the page's image menu can show the image computed.
  return COLORIZE_CATEGORIES.map((c) => {
    const i = SITE_PRIORS.emoji.picker.find((k) => names[set.labels[k]] === c);
    if (i === undefined) throw new Error(`colorize demo: no ${c} emoji among the picker images`);
    return i;
  });
}

/** One row of the demo, small enough to precompute: 8-bit images as base64 and the numbers the captions quote. */
export interface ColorizeRow {
  image: number;
  label: string;
  shape: number[];
  yShape: number[];
  y: string;
  deq: string;
  serial: string;
  truth: string;
  psnr: { deq: number; serial: number; grey: number };
  iterations: number;
  converged: boolean;
  T: number;
  solver: string;
  maxAbsDiffToSerial: number;
}

export function colorizeRow(image: number, label: string, r: DemoResult): ColorizeRow {
  const im = r.images;
  return {
    image,
    label,
    shape: im.deq.shape,
    yShape: im.y.shape,
    y: encodeImage(im.y.data),
    deq: encodeImage(im.deq.data),
    serial: encodeImage(im.serial.data),
    truth: encodeImage(im.truth.data),
    psnr: { deq: r.deq.psnr, serial: r.serial.psnr, grey: r.psnrApy },
    iterations: r.deq.iterations,
    converged: r.deq.converged,
    T: r.T,
    solver: r.solver,
    maxAbsDiffToSerial: r.deq.maxAbsDiffToSerial,
  };
}

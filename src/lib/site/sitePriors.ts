import { EMOJI_PACKAGES } from '../data/emoji.js';
import { PICKER_IMAGES, type ShippedSubset } from '../data/shippedSubset.js';
import { TASKS, tasksForChannels, type TaskName } from '../operators/taskRegistry.js';
import { TRAINING_RECIPES, type RecipeKey } from '../training/recipes.js';

/**
 * The priors a reader can pick on the site: the grey Fashion-MNIST UNet (the default, what every
 * precomputed view shows) and the colour emoji UNet. Each is a training recipe (training/recipes.ts:
 * the weights' file stem, the UNet config, the shipped test subset), so the site, the trainer and
 * the CLI agree on what a prior is. Browser-safe (no TF.js).
 */
export const SITE_DATASETS = ['fashion', 'emoji'] as const satisfies readonly RecipeKey[];
export type SiteDataset = (typeof SITE_DATASETS)[number];
export const DEFAULT_DATASET: SiteDataset = 'fashion';

/** The registry's channel-agnostic tasks every page offers (inpainting takes the reader's mask). */
const COMMON_TASKS = ['sr4', 'deblur', 'inpaint-box', 'cs25', 'denoise'] as const satisfies readonly TaskName[];

export interface SitePrior {
  key: SiteDataset;
  /** Menu label. */
  label: string;
  /** Weight file name in models/ (and in the site's _deqir/ folder). */
  weights: string;
  /** Its model card and sample grid, beside the weights (models/ and _deqir/). */
  card: string;
  samples: string;
  subset: ShippedSubset;
  /** [H, W, C] of the prior's images. */
  shape: readonly [number, number, number];
  /** The tasks the menus offer for this prior, in menu order (the first is its default). */
  tasks: readonly TaskName[];
  /** Credit the pages show next to its images; null when none is needed. */
  attribution: string | null;
  /** Subset indices the image pickers offer, all in the picker half (0..PICKER_IMAGES-1). */
  picker: readonly number[];
}

function sitePrior(key: SiteDataset, label: string, attribution: string | null, picker: readonly number[]): SitePrior {
  const r = TRAINING_RECIPES[key];
  const C = r.subset.shape[2];
  // Tasks made for this channel count (colorize) first, then the common ones it can run.
  const own = tasksForChannels(C).filter((t) => (TASKS[t] as { channels?: number }).channels === C);
  return {
    key,
    label,
    weights: `${r.modelName}.safetensors`,
    card: `${r.modelName}.card.json`,
    samples: `${r.modelName}.samples.png`,
    subset: r.subset,
    shape: r.subset.shape,
    tasks: [...own, ...COMMON_TASKS.filter((t) => tasksForChannels(C).includes(t))],
    attribution,
    picker,
  };
}

/** What the pages print beside emoji images (data/emoji/README.md, "Attribution to show"). */
export const EMOJI_ATTRIBUTION =
  `Emoji graphics: Twemoji by Twitter, Inc and other contributors (${EMOJI_PACKAGES.twitter.graphics}), licensed under CC BY 4.0; ` +
  `Noto Emoji by Google (${EMOJI_PACKAGES.google.graphics}), licensed under the Apache License 2.0. Downscaled to 32×32 and composited on grey.`;

const range = (n: number, step = 1) => Array.from({ length: n }, (_, i) => i * step);

export const SITE_PRIORS: Record<SiteDataset, SitePrior> = {
  fashion: sitePrior('fashion', 'grey Fashion-MNIST (28×28)', null, range(32)),
  // The emoji subset is sorted by category, Twemoji then Noto: every 4th image spans the categories, one vendor.
  emoji: sitePrior(
    'emoji',
    'colour emoji (32×32 RGB)',
    EMOJI_ATTRIBUTION,
    range(32, 4).filter((i) => i < PICKER_IMAGES),
  ),
};

/** Pixels of one image of the prior (H * W * C). */
export const imageSize = (d: SiteDataset) => SITE_PRIORS[d].shape.reduce((a, b) => a * b, 1);
/** Pixels of one image plane (H * W): the length of an inpainting mask. */
export const planeSize = (d: SiteDataset) => SITE_PRIORS[d].shape[0] * SITE_PRIORS[d].shape[1];

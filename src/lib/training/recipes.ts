import { EMOJI_SUBSET, FASHION_SUBSET, type ShippedSubset } from '../data/shippedSubset.js';
import { EMOJI_UNET, FASHION_SMALL, type UNetConfig } from '../models/unet/config.js';
import { ParameterError } from '../errors.js';

/**
 * What a training run is of: the data set, the UNet config and the names its files get. The grey
 * Fashion-MNIST prior and the colour emoji prior differ only here; the trainer, the
 * checkpoints and the scripts read everything shape- or name-specific from a recipe.
 */
export interface TrainingRecipe {
  readonly key: RecipeKey;
  /** File stem of the weights, card, record and checkpoint (models/<name>.*). */
  readonly modelName: string;
  readonly config: UNetConfig;
  /** Data set name in training records and cards. */
  readonly datasetName: string;
  /** The `dataset` metadata string of the weight file. */
  readonly weightsDataset: string;
  /** The shipped test subset the quality and benchmark scripts use for this prior. */
  readonly subset: ShippedSubset;
  /** Restoration tasks (taskRegistry names) of the quality bar's restoration sanity check. */
  readonly sanityTasks: readonly string[];
}

export const TRAINING_RECIPES = {
  fashion: {
    key: 'fashion',
    modelName: 'fashion-unet-small',
    config: FASHION_SMALL,
    datasetName: 'Fashion-MNIST',
    weightsDataset: 'Fashion-MNIST train (60k)',
    subset: FASHION_SUBSET,
    sanityTasks: ['sr4'],
  },
  emoji: {
    key: 'emoji',
    modelName: 'emoji-unet',
    config: EMOJI_UNET,
    datasetName: 'Emoji 32x32 RGB',
    weightsDataset: 'Emoji 32x32 RGB train (Twemoji + Noto, 3,397 images)',
    subset: EMOJI_SUBSET,
    sanityTasks: ['colorize', 'sr4', 'inpaint-box'],
  },
} as const satisfies Record<string, Omit<TrainingRecipe, 'key'> & { key: string }>;

export type RecipeKey = keyof typeof TRAINING_RECIPES;
export const RECIPE_KEYS = Object.keys(TRAINING_RECIPES) as RecipeKey[];
export const isRecipeKey = (k: unknown): k is RecipeKey => typeof k === 'string' && Object.hasOwn(TRAINING_RECIPES, k);

export function trainingRecipe(key: string): TrainingRecipe {
  if (!isRecipeKey(key)) throw new ParameterError(`unknown data set '${key}' (available: ${RECIPE_KEYS.join(', ')})`);
  return TRAINING_RECIPES[key];
}

/** The recipe whose images have this shape (a model file names its shape, not its data set). */
export function recipeForShape(shape: readonly number[]): TrainingRecipe {
  const r = RECIPE_KEYS.map((k) => TRAINING_RECIPES[k]).find((x) => x.config.imageShape.every((v, i) => v === shape[i]));
  if (!r) throw new ParameterError(`no training recipe for images [${shape.join(', ')}]`);
  return r;
}

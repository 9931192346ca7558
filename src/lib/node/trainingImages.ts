import { DEFAULT_FASHION_DIR, loadFashionMnist } from './fashionMnist.js';
import type { LabelledImages } from '../data/labelledImages.js';
import { DeqirError } from '../errors.js';
import type { RecipeKey, TrainingRecipe } from '../training/recipes.js';
import type { TrainingImages } from '../training/trainer.js';
import { EMOJI_DATASET_DIR, loadEmojiDataset } from './emojiSource.js';

/** Where each data set's full splits live unless `--data-dir` says otherwise. */
export const DEFAULT_DATA_DIRS: Record<RecipeKey, string> = { fashion: DEFAULT_FASHION_DIR, emoji: EMOJI_DATASET_DIR };

/** A recipe's full split (Node only: reads the files). */
export function loadRecipeSplit(recipe: TrainingRecipe, split: 'train' | 'test', dir = DEFAULT_DATA_DIRS[recipe.key]): LabelledImages {
  const set = recipe.key === 'emoji' ? loadEmojiDataset(split, dir) : loadFashionMnist(split, dir);
  const want = recipe.config.imageShape;
  if (set.height !== want[0] || set.width !== want[1] || set.channels !== want[2])
    throw new DeqirError(
      'dataset',
      `${recipe.datasetName} ${split} in ${dir} has images [${set.height}, ${set.width}, ${set.channels}], the ${recipe.modelName} config wants [${want.join(', ')}]`,
    );
  return set;
}

/** The first `limit` images (all when limit <= 0) as the trainer's input. */
export function firstImages(set: LabelledImages, limit = 0): TrainingImages {
  const count = limit > 0 ? Math.min(limit, set.count) : set.count;
  return { count, pixels: set.pixels.subarray(0, count * set.height * set.width * set.channels) };
}

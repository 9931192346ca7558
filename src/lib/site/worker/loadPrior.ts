import type { EpsModel } from '../../models/epsModel.js';
import { gaussianPrior } from '../../models/gaussianPrior.js';
import { decodeUNet } from '../../models/weights/unetWeights.js';
import { linearSchedule } from '../../schedule/linearSchedule.js';
import type { PriorChoice } from '../jobSettings.js';
import type { PixelGaussian } from '../../models/pixelGaussian.js';
import { onCpu } from '../../backend/onCpu.js';
import { ShapeError } from '../../errors.js';
import { SITE_PRIORS, type SiteDataset } from '../sitePriors.js';

export interface PriorSources {
  /** The shipped UNet weight file of the dataset (safetensors bytes). */
  unetBytes: () => Promise<Uint8Array>;
  /** The per-pixel Gaussian fitted to the dataset's prior half (only asked for when that prior is used). */
  gaussian: () => Promise<PixelGaussian>;
}

export interface LoadedPrior {
  model: EpsModel;
  kind: 'unet' | 'gaussian';
  /** What the page says about the prior, e.g. why the UNet was not used. */
  note: string;
}

/** 'auto' uses the dataset's UNet when it loads and falls back to its diagonal Gaussian, saying why. */
export async function loadPrior(choice: PriorChoice, src: PriorSources, dataset: SiteDataset = 'fashion'): Promise<LoadedPrior> {
  const { shape, weights, subset } = SITE_PRIORS[dataset];
  const gaussian = async (note: string): Promise<LoadedPrior> => {
    const g = await src.gaussian();
    return { model: await onCpu(() => gaussianPrior(linearSchedule(), [...shape], g.mean, g.variance)), kind: 'gaussian', note };
  };
  if (choice === 'gaussian')
    return gaussian(`diagonal Gaussian prior (chosen); fitted per pixel to ${subset.name} benchmark images 128–255`);
  try {
    const { model, metadata } = await decodeUNet(await src.unetBytes());
    // A weight file of another shape would restore the wrong images: refuse it here, naming the file.
    if (model.imageShape.join() !== shape.join()) {
      model.dispose?.();
      throw new ShapeError(
        `models/${weights} holds a UNet on [${model.imageShape.join(', ')}] images, not the ${subset.name} images [${shape.join(', ')}]`,
      );
    }
    return { model, kind: 'unet', note: `trained UNet '${metadata.name ?? model.name}' (models/${weights})` };
  } catch (e) {
    if (choice === 'unet') throw e;
    return gaussian(`the UNet did not load (${(e as Error).message}); using the diagonal Gaussian prior instead`);
  }
}

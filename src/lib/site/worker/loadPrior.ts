import type { EpsModel } from '../../models/epsModel.js';
import { gaussianPrior } from '../../models/gaussianPrior.js';
import { decodeUNet } from '../../models/weights/unetWeights.js';
import { linearSchedule } from '../../schedule/linearSchedule.js';
import type { PriorChoice } from '../jobSettings.js';
import type { PixelGaussian } from '../../data/pixelGaussian.js';
import { onCpu } from '../../backend/onCpu.js';

export interface PriorSources {
  /** The shipped UNet weight file (safetensors bytes). */
  unetBytes: () => Promise<Uint8Array>;
  gaussian: PixelGaussian;
}

export interface LoadedPrior {
  model: EpsModel;
  kind: 'unet' | 'gaussian';
  /** What the page says about the prior, e.g. why the UNet was not used. */
  note: string;
}

/** 'auto' uses the UNet when it loads and falls back to the diagonal Gaussian, saying why. */
export async function loadPrior(choice: PriorChoice, src: PriorSources): Promise<LoadedPrior> {
  const gaussian = async (note: string): Promise<LoadedPrior> => ({
    model: await onCpu(() => gaussianPrior(linearSchedule(), [28, 28, 1], src.gaussian.mean, src.gaussian.variance)),
    kind: 'gaussian',
    note,
  });
  if (choice === 'gaussian') return gaussian('diagonal Gaussian prior (chosen); fitted per pixel to benchmark images 128–255');
  try {
    const { model, metadata } = await decodeUNet(await src.unetBytes());
    return { model, kind: 'unet', note: `trained UNet '${metadata.name ?? model.name}' (models/fashion-unet-small)` };
  } catch (e) {
    if (choice === 'unet') throw e;
    return gaussian(`the UNet did not load (${(e as Error).message}); using the diagonal Gaussian prior instead`);
  }
}

import type { MixtureComponent } from '../models/gaussianMixturePrior.js';

/** The 2-D toy's data distribution: three tight Gaussian blobs (exact eps, no network). */
export const TOY_COMPONENTS: MixtureComponent[] = [
  { weight: 0.4, mean: [-0.6, -0.5], variance: 0.01 },
  { weight: 0.3, mean: [0.5, 0.6], variance: 0.01 },
  { weight: 0.3, mean: [0.55, -0.55], variance: 0.01 },
];

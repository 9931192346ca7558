import type { StepCoefficients } from '../schedule/stepCoefficients.js';

/** σ_k = sqrt(1 − ᾱ_{s_k}), the noise level of the state after step k (row k of the stacked state); 0 for x_0. */
export const noiseScales = (c: StepCoefficients): number[] => Array.from(c.sqrtAbarS, (a) => Math.sqrt(Math.max(0, 1 - a * a)));

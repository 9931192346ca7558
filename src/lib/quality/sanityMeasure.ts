import type { TaskName } from '../operators/taskRegistry.js';

/**
 * How the quality bar judges a task's restoration sanity ("DeqIR beats A+y").
 *
 * PSNR for tasks whose null space holds detail y only partly pins down (SR, inpainting). Not for
 * colorization: there the null space is all of the chroma, and a restoration that draws a
 * plausible colour pays, in expected squared error, twice the posterior variance of the chroma,
 * while the grey copy A+y pays that variance plus the squared posterior-mean chroma. PSNR then
 * prefers the grey copy whenever a colour is uncertain, however good the prior, which is why DDNM
 * and DeqIR report colorization by FID. The bar does the same at its scale: paired FD-cls of the
 * restorations and of A+y against the same originals (pairedFdSanity.ts).
 */
export type SanityMeasure = 'psnr' | 'paired-fd-cls';

const BY_DISTRIBUTION: ReadonlySet<string> = new Set<TaskName>(['colorize']);

export const sanityMeasure = (task: string): SanityMeasure => (BY_DISTRIBUTION.has(task) ? 'paired-fd-cls' : 'psnr');

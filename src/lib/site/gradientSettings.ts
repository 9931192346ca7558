/**
 * Choices of the Gradients and Steering pages, with no TF.js in sight: the page bundle imports
 * these, the worker runs them (worker/jobs/gradients.ts, worker/jobs/steering.ts).
 */
export const GRADIENT_METHODS = ['implicit', 'phantom', 'serial'] as const;
export type GradientMethodChoice = (typeof GRADIENT_METHODS)[number];

export interface GradientRequest {
  /** Output region, H*W, 1 = in the region; the loss is the mean of x0 over it. */
  region: Uint8Array;
  methods: GradientMethodChoice[];
  phantomSteps: number;
  phantomTau: number;
}

/** What x0 is pulled towards: A+y (available to any restorer) or the ground truth (an oracle upper bound). */
export const GUIDES = ['apy', 'oracle'] as const;
export type Guide = (typeof GUIDES)[number];

export interface SteeringRequest {
  guide: Guide;
  lr: number;
  steps: number;
  method: 'implicit' | 'phantom';
}

/** A rectangle of pixels [x0, x1) x [y0, y1) as a region mask (H*W, 1 = inside), clipped to the image. */
export function rectRegion(H: number, W: number, r: { x0: number; y0: number; x1: number; y1: number }): Uint8Array {
  const m = new Uint8Array(H * W);
  const [xa, xb] = [Math.max(0, Math.min(r.x0, r.x1)), Math.min(W, Math.max(r.x0, r.x1))];
  const [ya, yb] = [Math.max(0, Math.min(r.y0, r.y1)), Math.min(H, Math.max(r.y0, r.y1))];
  for (let y = ya; y < yb; y++) for (let x = xa; x < xb; x++) m[y * W + x] = 1;
  return m;
}

import { ResourceError } from '../errors.js';
import { MEMORY_BUDGET_MB } from '../bounds.js';
import type { SolverKind } from '../deq/solvers/solverTypes.js';
import type { UNetConfig } from '../models/unet/config.js';

/**
 * The memory estimate of a restoration and the budget refusal: a job over its budget is refused
 * with the estimate and its biggest parts before anything is allocated.
 */

/** What fixes a restoration's peak memory. */
export interface MemoryEstimateInput {
  batch: number;
  imageShape: readonly [number, number, number];
  T: number;
  /** 'serial' = the chain only; a DEQ solve also runs the serial chain for comparison when `withSerial`. */
  solver: { kind: 'serial' | SolverKind; m?: number; chunkSize?: number };
  withSerial?: boolean;
  perStepNoise?: boolean;
  prior: { kind: 'gaussian' } | { kind: 'gaussian-mixture'; components: number } | { kind: 'unet'; config: UNetConfig };
  /** Floats held by the operator (dense factors, SVDs, masks); see operatorFloats. */
  operatorFloats?: number;
  gradient?: 'implicit' | 'phantom' | 'serial';
  /** Phantom gradients back-propagate through k map evaluations, keeping each one's activations. */
  phantomSteps?: number;
}

export interface MemoryEstimate {
  bytes: number;
  /** The biggest contributions, in bytes, for the refusal message. */
  parts: Record<string, number>;
}

/**
 * Peak bytes of a restoration, conservative by design: the fixed-point state [T, B, H, W, C] and
 * the solver's copies of it, the prior's activations for one batched call (a UNet keeps every
 * intermediate of a forward pass alive until it ends: ~24 floats per channel-pixel of each level
 * and residual block, measured 11.6 MB per 28x28 image for the shipped model), the operator's
 * dense factors, step noise and gradients.
 */
export function estimateMemory(e: MemoryEstimateInput): MemoryEstimate {
  const [H, W, C] = e.imageShape;
  const image = e.batch * H * W * C;
  const deq = e.solver.kind !== 'serial';
  const callImages = deq ? Math.min(e.solver.chunkSize ?? e.T * e.batch, e.T * e.batch) : e.batch;
  const stateCopies =
    !deq ? 0
    : e.solver.kind === 'picard' ? 8
    : 2 * (e.solver.m ?? 5) + 10;
  const parts: Record<string, number> = {
    'fixed-point state and solver history': 4 * stateCopies * e.T * image,
    'serial chain': deq && !e.withSerial ? 0 : 4 * 8 * image,
    'prior activations': 4 * callImages * priorFloatsPerImage(e.prior, e.imageShape),
    'step noise': 4 * (e.perStepNoise ? e.T : 1) * image,
    operator: 4 * (e.operatorFloats ?? 0),
  };
  if (e.gradient) {
    // Back-propagating through one map evaluation keeps its activations (all T steps of the batch)
    // alive: the implicit gradient does that once per adjoint iteration, the phantom gradient k
    // times at once, back-propagation through the serial chain once per step (batch B each).
    const oneMap = 4 * (callImages * priorFloatsPerImage(e.prior, e.imageShape) + 8 * e.T * image);
    parts.gradient =
      e.gradient === 'serial' ? 4 * e.T * (8 * image + e.batch * priorFloatsPerImage(e.prior, e.imageShape))
      : e.gradient === 'phantom' ? (e.phantomSteps ?? 1) * oneMap
      : oneMap + parts['fixed-point state and solver history'];
  }
  const bytes = Object.values(parts).reduce((a, b) => a + b, 0);
  return { bytes, parts };
}

function priorFloatsPerImage(p: MemoryEstimateInput['prior'], [H, W, C]: readonly [number, number, number]): number {
  const D = H * W * C;
  if (p.kind === 'gaussian') return 6 * D;
  if (p.kind === 'gaussian-mixture') return 8 * p.components * D;
  return unetFloatsPerImage(p.config);
}

/** Floats a UNet forward pass keeps alive per image (see estimateMemory). */
function unetFloatsPerImage(cfg: UNetConfig): number {
  const [H, W] = cfg.imageShape;
  let floats = 0;
  cfg.channels.forEach((c, l) => {
    const pixels = (H * W) / 4 ** l;
    floats += 24 * c * pixels * (2 * cfg.resBlocksPerLevel + 1);
    if (cfg.attentionLevels.includes(l)) floats += 3 * pixels * pixels + 6 * c * pixels;
  });
  return floats;
}

/** Floats an operator holds for an image of this shape (dense factors in float64 count twice, SVDs thrice). */
export function operatorFloats(
  op: { kind: string; block?: number; A?: readonly (readonly number[])[]; rows?: readonly unknown[]; cols?: readonly unknown[] },
  [H, W, C]: readonly [number, number, number],
): number {
  switch (op.kind) {
    case 'sr-avgpool':
    case 'inpainting':
    case 'colorization':
    case 'denoising':
      return 2 * H * W * C;
    case 'cs-walsh-hadamard': {
      const b = op.block ?? 8;
      return 2 * b ** 4 + 4 * H * W * C;
    }
    case 'matrix': {
      const M = op.A?.length ?? 0;
      const D = H * W * C;
      return 6 * (M * D + D * D + M * M);
    }
    default: {
      // Separable: an H x H and a W x W factor (or the given rows x H and cols x W), SVD and pseudo-inverse in float64.
      const R = op.rows?.length ?? H;
      const Cc = op.cols?.length ?? W;
      return 12 * (R * H + H * H + Cc * W + W * W);
    }
  }
}

/** Budget in bytes from MiB, refusing nonsense. */
export function memoryBudgetBytes(mb: number = MEMORY_BUDGET_MB.default): number {
  if (!Number.isFinite(mb) || mb < MEMORY_BUDGET_MB.min || mb > MEMORY_BUDGET_MB.max)
    throw new ResourceError(`memory budget must be from ${MEMORY_BUDGET_MB.min} to ${MEMORY_BUDGET_MB.max} MiB, got ${mb}`);
  return mb * 2 ** 20;
}

/**
 * Refuses a job whose estimate exceeds the budget, before it allocates, with the estimate, the
 * budget, the biggest parts and what to change: the library's general advice plus `hint` (e.g. the
 * CLI's flag), or only `advice` where the caller's user has other controls (a page's sliders: no
 * batch, chunk size or flag to change there).
 */
export function checkMemoryBudget(estimate: MemoryEstimate, budgetBytes: number, hint = '', { advice }: { advice?: string } = {}): void {
  if (estimate.bytes <= budgetBytes) return;
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(b < 2 ** 20 ? 2 : 0)} MiB`;
  const parts = Object.entries(estimate.parts)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${k} ${mb(v)}`)
    .join(', ');
  throw new ResourceError(
    `this job needs an estimated ${mb(estimate.bytes)}, over the memory budget of ${mb(budgetBytes)} (${parts}); ` +
      (advice ?? `use fewer steps T, a smaller batch or image, solver.chunkSize${hint ? `, or ${hint}` : ''}`),
  );
}

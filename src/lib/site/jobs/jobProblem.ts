import type { EpsModel } from '../../models/epsModel.js';
import { onCpu } from '../../backend/onCpu.js';
import { buildRestorationProblem, type RestorationProblem } from '../../problem/restorationProblem.js';
import type { JobSettings } from '../jobSettings.js';

/**
 * The problem of a job's settings, from the one problem builder (problem/restorationProblem.ts),
 * so a page, the CLI and a benchmark cell build the same y and x_T for the same (task, image, seed).
 * The image's key in the seed rule is its picker index (an upload, image -1, is batch position 0).
 * Built on the cpu backend (see onCpu).
 */
export function jobProblem(model: EpsModel, s: JobSettings, truthPixels: Float32Array): Promise<RestorationProblem> {
  const key = Math.max(0, s.image);
  return onCpu(() => buildRestorationProblem(model, { task: s.task, mask: s.mask, seed: s.seed, T: s.T }, [{ key, pixels: truthPixels }]));
}

import type { OperatorSpec } from '../../operators/createOperator.js';
import { boxMask } from '../../operators/masks.js';
import type { Task } from '../jobSettings.js';

/** The operator and measurement noise each demo task stands for (28x28 images). */
export function taskOperator(task: Task, mask: Uint8Array | null, H = 28, W = 28): { spec: OperatorSpec; sigmaY: number } {
  switch (task) {
    case 'sr':
      return { spec: { kind: 'sr-avgpool', factor: 4 }, sigmaY: 0 };
    case 'deblur':
      return { spec: { kind: 'deblur-gaussian', sigma: 1.5 }, sigmaY: 0 };
    case 'inpainting':
      return { spec: { kind: 'inpainting', mask: Array.from(mask ?? boxMask(H, W, 0.5)) }, sigmaY: 0 };
    case 'cs':
      return { spec: { kind: 'cs-walsh-hadamard', ratio: 0.25 }, sigmaY: 0 };
    case 'denoising':
      return { spec: { kind: 'denoising' }, sigmaY: 0.2 };
  }
}

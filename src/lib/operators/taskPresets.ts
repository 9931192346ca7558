import { ParameterError } from '../errors.js';
import type { OperatorSpec } from './createOperator.js';

/** Named restoration tasks of the command line and the benchmarks: an operator and its noise. */
export const TASK_PRESETS: Record<string, { spec: OperatorSpec; sigmaY: number; description: string }> = {
  sr4: { spec: { kind: 'sr-avgpool', factor: 4 }, sigmaY: 0, description: 'super-resolution x4, average pooling' },
  'sr4-bicubic': { spec: { kind: 'sr-bicubic', factor: 4 }, sigmaY: 0, description: 'super-resolution x4, bicubic' },
  sr2: { spec: { kind: 'sr-avgpool', factor: 2 }, sigmaY: 0, description: 'super-resolution x2, average pooling' },
  deblur: { spec: { kind: 'deblur-gaussian', sigma: 1.5 }, sigmaY: 0, description: 'Gaussian deblurring, sigma 1.5' },
  'inpaint-box': { spec: { kind: 'inpainting', pattern: 'box', fraction: 0.5 }, sigmaY: 0, description: 'inpainting, centred box' },
  'inpaint-random': { spec: { kind: 'inpainting', pattern: 'random', p: 0.5, seed: 1 }, sigmaY: 0, description: 'inpainting, 50 % random pixels' },
  cs25: { spec: { kind: 'cs-walsh-hadamard', ratio: 0.25 }, sigmaY: 0, description: 'compressed sensing, 25 % Walsh–Hadamard' },
  denoise: { spec: { kind: 'denoising' }, sigmaY: 0.1, description: 'denoising, sigma 0.1' },
};

export function taskPreset(name: string) {
  const p = TASK_PRESETS[name];
  if (!p) throw new ParameterError(`unknown task '${name}' (available: ${Object.keys(TASK_PRESETS).join(', ')})`);
  return p;
}

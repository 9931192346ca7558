import { ParameterError } from '../errors.js';
import type { OperatorSpec } from './createOperator.js';

/**
 * The kit's one task registry: each named restoration task is an operator and its measurement
 * noise. The CLI (`--task`), the site's menus, the worker jobs, the loaders and the benchmarks all
 * read it, so a name means the same degradation everywhere. Browser-safe (no TF.js).
 */
export interface TaskDefinition {
  /** Short label for menus, legends and table headers. */
  label: string;
  /** One sentence for help texts and result files. */
  description: string;
  spec: OperatorSpec;
  /** Standard deviation of the measurement noise, images in [-1, 1]. */
  sigmaY: number;
  /**
   * True when A has a null space for the prior to fill. With A = I (denoising) plain DDNM returns
   * y itself, so pages that explain the null-space step leave such tasks out.
   */
  hasNullSpace: boolean;
  /**
   * The channel count a task's images must have; absent when any count works (the operators act on
   * each channel alike). Colorization maps 3 channels to their mean, so a grey prior cannot run it.
   */
  channels?: 3;
}

export const TASKS = {
  sr4: {
    label: 'super-resolution ×4 (average pooling)',
    description: 'super-resolution x4, average pooling',
    spec: { kind: 'sr-avgpool', factor: 4 },
    sigmaY: 0,
    hasNullSpace: true,
  },
  'sr4-bicubic': {
    label: 'super-resolution ×4 (bicubic)',
    description: 'super-resolution x4, bicubic',
    spec: { kind: 'sr-bicubic', factor: 4 },
    sigmaY: 0,
    hasNullSpace: true,
  },
  sr2: {
    label: 'super-resolution ×2 (average pooling)',
    description: 'super-resolution x2, average pooling',
    spec: { kind: 'sr-avgpool', factor: 2 },
    sigmaY: 0,
    hasNullSpace: true,
  },
  deblur: {
    label: 'deblurring (Gaussian, σ = 1.5)',
    description: 'Gaussian deblurring, kernel sigma 1.5',
    spec: { kind: 'deblur-gaussian', sigma: 1.5 },
    sigmaY: 0,
    hasNullSpace: true,
  },
  'inpaint-box': {
    label: 'inpainting (centred box, or your mask)',
    description: 'inpainting, centred box covering half of each side',
    spec: { kind: 'inpainting', pattern: 'box', fraction: 0.5 },
    sigmaY: 0,
    hasNullSpace: true,
  },
  'inpaint-random': {
    label: 'inpainting (50 % random pixels)',
    description: 'inpainting, 50 % random pixels',
    spec: { kind: 'inpainting', pattern: 'random', p: 0.5, seed: 1 },
    sigmaY: 0,
    hasNullSpace: true,
  },
  cs25: {
    label: 'compressed sensing (Walsh–Hadamard, 25 %)',
    description: 'compressed sensing, 25 % Walsh–Hadamard',
    spec: { kind: 'cs-walsh-hadamard', ratio: 0.25 },
    sigmaY: 0,
    hasNullSpace: true,
  },
  denoise: {
    label: 'denoising (σ_y = 0.1)',
    description: 'denoising, sigma_y 0.1',
    spec: { kind: 'denoising' },
    sigmaY: 0.1,
    hasNullSpace: false,
  },
  colorize: {
    label: 'colorization (grey to colour)',
    description: 'colorization, y = mean of the three channels',
    spec: { kind: 'colorization' },
    sigmaY: 0,
    hasNullSpace: true,
    channels: 3,
  },
} as const satisfies Record<string, TaskDefinition>;

export type TaskName = keyof typeof TASKS;
export const TASK_NAMES = Object.keys(TASKS) as TaskName[];

const isTaskName = (name: unknown): name is TaskName => typeof name === 'string' && Object.hasOwn(TASKS, name);

/** The task called `name`; an unknown name is a ParameterError that lists the known ones. */
export function taskDefinition(name: string): TaskDefinition {
  if (!isTaskName(name)) throw new ParameterError(`unknown task '${name}' (available: ${TASK_NAMES.join(', ')})`);
  return TASKS[name];
}

/** Whether a prior on images with `channels` channels can run task `name`. */
export const taskTakesChannels = (name: TaskName, channels: number): boolean => {
  const need: number | undefined = (TASKS[name] as TaskDefinition).channels;
  return need === undefined || need === channels;
};

/** The tasks a prior with `channels` channels can run, in registry order (menus and loops over every task use this). */
export const tasksForChannels = (channels: number): TaskName[] => TASK_NAMES.filter((t) => taskTakesChannels(t, channels));

/**
 * Refuses a task the prior's images cannot take (colorize with a grey prior) before anything is
 * allocated; the error names the field `task`.
 */
export function checkTaskChannels(name: TaskName, imageShape: readonly number[]): void {
  const C = imageShape[2];
  if (taskTakesChannels(name, C)) return;
  const need = (TASKS[name] as TaskDefinition).channels;
  throw new ParameterError(
    `task '${name}' needs a prior on ${need}-channel (colour) images; this prior works on [${imageShape.join(', ')}] ` +
      `(tasks for ${C}-channel images: ${tasksForChannels(C).join(', ')})`,
    'task',
  );
}

/**
 * The operator spec of a task; an inpainting task takes the reader's own mask (H*W values,
 * 1 = observed) in place of its pattern.
 */
export function taskOperatorSpec(name: TaskName, mask?: ArrayLike<number> | null): OperatorSpec {
  const { spec } = taskDefinition(name);
  if (!mask) return spec;
  if (spec.kind !== 'inpainting') throw new ParameterError(`task '${name}' takes no mask (only inpainting tasks do)`);
  return { kind: 'inpainting', mask: Array.from(mask) };
}

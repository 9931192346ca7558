import { MAX_KERNEL_SIZE } from '../bounds.js';
import { ParameterError } from '../errors.js';

/** 1-D matrices (arrays of rows) that separable operators are built from. */

/** [n/f, n]: row i averages input samples f*i .. f*i+f-1. */
export function blockMeanMatrix(n: number, factor: number): number[][] {
  checkFactor(n, factor);
  return Array.from({ length: n / factor }, (_, i) => Array.from({ length: n }, (_, j) => (Math.floor(j / factor) === i ? 1 / factor : 0)));
}

/** Keys' cubic convolution kernel with a = -0.5 (as in MATLAB's imresize and the reference). */
function cubic(x: number, a = -0.5): number {
  const ax = Math.abs(x);
  if (ax <= 1) return (a + 2) * ax ** 3 - (a + 3) * ax ** 2 + 1;
  if (ax < 2) return a * ax ** 3 - 5 * a * ax ** 2 + 8 * a * ax - 4 * a;
  return 0;
}

/**
 * [n/f, n] antialiased bicubic downsampling: output i is centred at input coordinate
 * c = (i + 0.5) f - 0.5 and weighs input j by cubic((j - c) / f) — 4f taps for even f. The taps are
 * normalised to sum to 1 (as the reference normalises its kernel) before taps that fall outside the
 * image are dropped (zero boundary, so border rows sum to slightly less than 1).
 */
export function bicubicDownMatrix(n: number, factor: number): number[][] {
  checkFactor(n, factor);
  return Array.from({ length: n / factor }, (_, i) => {
    const c = (i + 0.5) * factor - 0.5;
    const taps: [number, number][] = [];
    for (let j = Math.ceil(c - 2 * factor); j <= Math.floor(c + 2 * factor); j++) {
      const w = cubic((j - c) / factor);
      if (w !== 0) taps.push([j, w]);
    }
    const sum = taps.reduce((a, [, w]) => a + w, 0);
    const row = new Array<number>(n).fill(0);
    for (const [j, w] of taps) if (j >= 0 && j < n) row[j] = w / sum;
    return row;
  });
}

/** [n, n] convolution with a symmetric odd-length kernel and zero boundary ('same' size). */
export function convolutionMatrix(n: number, kernel: readonly number[]): number[][] {
  if (kernel.length % 2 !== 1) throw new ParameterError(`blur kernel length must be odd, got ${kernel.length}`);
  const r = (kernel.length - 1) / 2;
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (Math.abs(j - i) <= r ? kernel[j - i + r] : 0)));
}

/** Normalised Gaussian taps; default length 2*ceil(3 sigma) + 1 keeps 99.7 % of the mass. */
export function gaussianKernel(sigma: number, size?: number): number[] {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new ParameterError(`blur sigma must be a positive number, got ${sigma}`);
  const len = size ?? 2 * Math.ceil(3 * sigma) + 1;
  checkKernelSize(len);
  const r = (len - 1) / 2;
  const k = Array.from({ length: len }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const s = k.reduce((a, b) => a + b, 0);
  return k.map((v) => v / s);
}

export function uniformKernel(size: number): number[] {
  checkKernelSize(size);
  return new Array<number>(size).fill(1 / size);
}

function checkKernelSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size % 2 !== 1 || size > MAX_KERNEL_SIZE) {
    throw new ParameterError(
      `blur kernel size must be an odd integer from 1 to ${MAX_KERNEL_SIZE}, got ${size}${size > MAX_KERNEL_SIZE ? ' (a Gaussian takes 2⌈3σ⌉+1 taps)' : ''}`,
    );
  }
}

function checkFactor(n: number, factor: number): void {
  if (!Number.isInteger(factor) || factor < 1) throw new ParameterError(`factor must be a positive integer, got ${factor}`);
  if (n % factor !== 0) throw new ParameterError(`factor ${factor} does not divide the image size ${n}`);
}

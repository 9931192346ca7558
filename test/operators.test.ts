import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ParameterError, ShapeError } from '../src/lib/errors.js';
import { createOperator } from '../src/lib/operators/createOperator.js';
import type { LinearOperator } from '../src/lib/operators/linearOperator.js';
import { gaussianKernel } from '../src/lib/operators/matrices1d.js';
import { measure } from '../src/lib/operators/measure.js';
import { OPERATOR_CASES, randomImages } from './support/fixtures.js';
import { expectNoLeak, maxAbsDiff } from './support/tfSetup.js';

/** ||a - b|| / ||b||, computed in float64 from the read-back values. */
function relErr(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    num += (x[i] - y[i]) ** 2;
    den += y[i] ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}

function dot(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

describe.each(OPERATOR_CASES)('operator algebra: $name', ({ spec, shape }) => {
  const op: LinearOperator = createOperator(spec, shape);
  const u = randomImages(2, shape, 101);
  const w = randomImages(2, shape, 102);
  const v = randomImages(2, op.measurementShape, 103);
  const v2 = randomImages(2, op.measurementShape, 104);
  afterAll(() => [u, w, v, v2].forEach((t) => t.dispose()));
  afterAll(() => op.dispose());

  it('A A+ A = A', () => {
    tf.tidy(() => void expect(relErr(op.A(op.Apinv(op.A(u))), op.A(u))).toBeLessThan(1e-4));
  });
  it('A+ A A+ = A+', () => {
    tf.tidy(() => void expect(relErr(op.Apinv(op.A(op.Apinv(v))), op.Apinv(v))).toBeLessThan(1e-4));
  });
  it('A+A is idempotent and equals A+ applied to A', () => {
    tf.tidy(() => {
      expect(relErr(op.project(op.project(u)), op.project(u))).toBeLessThan(1e-4);
      expect(relErr(op.project(u), op.Apinv(op.A(u)))).toBeLessThan(1e-4);
    });
  });
  it('A+A and A A+ are symmetric', () => {
    tf.tidy(() => {
      const l = dot(op.project(u), w);
      const r = dot(u, op.project(w));
      expect(Math.abs(l - r) / (Math.abs(l) + 1e-6)).toBeLessThan(1e-4);
      const l2 = dot(op.A(op.Apinv(v)), v2);
      const r2 = dot(v, op.A(op.Apinv(v2)));
      expect(Math.abs(l2 - r2) / (Math.abs(l2) + 1e-6)).toBeLessThan(1e-4);
    });
  });
  it('<v, A u> = <AT v, u>', () => {
    tf.tidy(() => {
      const l = dot(v, op.A(u));
      const r = dot(op.AT(v), u);
      expect(Math.abs(l - r) / Math.max(Math.abs(l), 1e-6)).toBeLessThan(1e-4);
    });
  });
  it('has the documented measurement layout and leaks no tensor', async () => {
    await expectNoLeak(() => {
      const y = op.A(u);
      expect(y.shape).toEqual([2, ...op.measurementShape]);
      const back = [op.AT(y), op.Apinv(y), op.project(u)];
      back.forEach((b) => expect(b.shape).toEqual([2, ...shape]));
      [y, ...back].forEach((t) => t.dispose());
    });
  });
  it('rejects an image of the wrong shape with a ShapeError naming the operator', () => {
    const bad = tf.zeros([1, shape[0] + 1, shape[1], shape[2]]);
    expect(() => op.A(bad)).toThrow(ShapeError);
    expect(() => op.A(bad)).toThrow(op.kind);
    bad.dispose();
  });
});

describe('operators match their plain definitions', () => {
  const x = randomImages(2, [8, 12, 3], 7) as tf.Tensor4D;
  afterAll(() => x.dispose());

  it('sr-avgpool is the block mean', () => {
    const op = createOperator({ kind: 'sr-avgpool', factor: 4 }, [8, 12, 3]);
    tf.tidy(() => void expect(maxAbsDiff(op.A(x).dataSync(), tf.avgPool(x, 4, 4, 'valid').dataSync())).toBeLessThan(1e-5));
    op.dispose();
  });
  it('inpainting keeps exactly the observed pixels', () => {
    const mask = Array.from({ length: 8 * 12 }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const op = createOperator({ kind: 'inpainting', mask }, [8, 12, 3]);
    tf.tidy(() => {
      const m = tf.tensor4d(mask, [1, 8, 12, 1]);
      expect(maxAbsDiff(op.A(x).dataSync(), tf.mul(x, m).dataSync())).toBe(0);
    });
    op.dispose();
  });
  it('colorization is the channel mean', () => {
    const op = createOperator({ kind: 'colorization' }, [8, 12, 3]);
    tf.tidy(() => void expect(maxAbsDiff(op.A(x).dataSync(), tf.mean(x, 3, true).dataSync())).toBeLessThan(1e-6));
    op.dispose();
  });
  it('denoising is the identity', () => {
    const op = createOperator({ kind: 'denoising' }, [8, 12, 3]);
    tf.tidy(() => void expect(maxAbsDiff(op.A(x).dataSync(), x.dataSync())).toBe(0));
    op.dispose();
  });
  it('Gaussian blur without truncation is a zero-padded 2-D convolution', () => {
    const op = createOperator({ kind: 'deblur-gaussian', sigma: 1, svdThreshold: 0 }, [8, 12, 3]);
    tf.tidy(() => {
      const k = gaussianKernel(1);
      const k2 = tf.tensor4d(
        k.flatMap((a) => k.map((b) => a * b)),
        [k.length, k.length, 1, 1],
      );
      const perChannel = tf.split(x, 3, 3).map((c) => tf.conv2d(c as tf.Tensor4D, k2 as tf.Tensor4D, 1, 'same'));
      expect(maxAbsDiff(op.A(x).dataSync(), tf.concat(perChannel, 3).dataSync())).toBeLessThan(1e-5);
    });
    op.dispose();
  });
  it('bicubic x2 keeps constants in the interior and sums rows to one', () => {
    const op = createOperator({ kind: 'sr-bicubic', factor: 2 }, [16, 16, 1]);
    tf.tidy(() => {
      const y = op.A(tf.ones([1, 16, 16, 1])).dataSync();
      // rows/cols 2..5 of the 8x8 output see no border
      for (let i = 2; i < 6; i++) for (let j = 2; j < 6; j++) expect(y[i * 8 + j]).toBeCloseTo(1, 5);
    });
    op.dispose();
  });
  it('Walsh–Hadamard compressed sensing has orthonormal rows (A AT = I) and its first coefficient is the block sum / b', () => {
    const op = createOperator({ kind: 'cs-walsh-hadamard', ratio: 0.25, block: 4 }, [8, 12, 3]);
    tf.tidy(() => {
      const v = randomImages(2, op.measurementShape, 9);
      expect(relErr(op.A(op.AT(v)), v)).toBeLessThan(1e-5);
      const y = op.A(x).dataSync();
      const blockSum = tf.mul(tf.avgPool(x, 4, 4, 'valid'), 16 / 4).dataSync();
      const m = 4; // 25 % of 16 coefficients
      for (let i = 0; i < blockSum.length; i++) expect(y[i * m]).toBeCloseTo(blockSum[i], 4);
    });
    op.dispose();
  });
});

describe('operator parameters are validated', () => {
  it('a factor that does not divide the size is refused, naming both', () => {
    expect(() => createOperator({ kind: 'sr-avgpool', factor: 4 }, [10, 12, 1])).toThrow(ParameterError);
    expect(() => createOperator({ kind: 'sr-avgpool', factor: 4 }, [10, 12, 1])).toThrow(/factor 4 does not divide the image size 10/);
  });
  it('negative or zero blur sigma, even kernel sizes and bad ratios are refused', () => {
    expect(() => createOperator({ kind: 'deblur-gaussian', sigma: -1 }, [8, 8, 1])).toThrow(/sigma/);
    expect(() => createOperator({ kind: 'deblur-uniform', size: 4 }, [8, 8, 1])).toThrow(/odd/);
    expect(() => createOperator({ kind: 'cs-walsh-hadamard', ratio: 1.5 }, [8, 8, 1])).toThrow(/ratio/);
    expect(() => createOperator({ kind: 'cs-walsh-hadamard', block: 3 }, [9, 9, 1])).toThrow(/power of two/);
  });
  it('colorization needs three channels; masks need 0/1 values of the image size', () => {
    expect(() => createOperator({ kind: 'colorization' }, [8, 8, 1])).toThrow(/3 channels/);
    expect(() => createOperator({ kind: 'inpainting', mask: [1, 0, 1] }, [2, 2, 1])).toThrow(ShapeError);
    expect(() => createOperator({ kind: 'inpainting', mask: [1, 0, 0.5, 1] }, [2, 2, 1])).toThrow(/0 or 1/);
  });
  it('an unknown kind lists the known ones', () => {
    expect(() => createOperator({ kind: 'warp' } as never, [8, 8, 1])).toThrow(/sr-avgpool/);
  });
  it('measurement noise must be a finite sigma >= 0 and is seeded', () => {
    const op = createOperator({ kind: 'denoising' }, [4, 4, 1]);
    const x = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    expect(() => measure(op, x, -0.1)).toThrow(ParameterError);
    const a = measure(op, x, 0.1, 5);
    const b = measure(op, x, 0.1, 5);
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
    expect(Math.abs(a.dataSync()[0])).toBeGreaterThan(0);
    [a, b, x].forEach((t) => t.dispose());
    op.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { psnrOfMse } from '../src/lib/metrics/psnr.js';
import { iterateX0ToSerial, meetsX0Criterion, x0DistancePerImage, X0_PSNR_CRITERION_DB } from '../src/lib/metrics/x0ToSerial.js';
import { expectNoLeak } from './support/tfSetup.js';

describe('x0 against the serial x0, image by image', () => {
  it('gives each image its unclipped PSNR and max abs difference', () => {
    const serial = [0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5];
    const x0 = [0, 0, 0, 0.1, 3.5, 0.5, 0.5, 0.5]; // image 1 leaves [-1, 1]: not clipped
    const d = x0DistancePerImage(x0, serial, 2);
    expect(d.maxAbs[0]).toBeCloseTo(0.1, 6);
    expect(d.maxAbs[1]).toBeCloseTo(3, 6);
    expect(d.psnr[0]).toBeCloseTo(psnrOfMse(0.01 / 4), 6);
    expect(d.psnr[1]).toBeCloseTo(psnrOfMse(9 / 4), 6);
    expect(d.psnr[1]).toBeLessThan(3);
    expect(() => x0DistancePerImage([0, 0, 0], [0, 0, 0], 2)).toThrow(RangeError);
  });

  it('reads the last row of an iterate F(X) as x0; every image must meet 40 dB', async () => {
    const T = 3;
    const serial = new Float32Array([0.2, -0.2, 0.4, 0.1]); // B = 2 images of 2 values
    await expectNoLeak(async () => {
      const rows = tf.tensor([
        [9, 9, 9, 9],
        [9, 9, 9, 9],
        [0.2, -0.2, 0.4, 0.1 + 1e-3],
      ]);
      const d = await iterateX0ToSerial(rows, T, serial, 2);
      rows.dispose();
      expect(d.maxAbs[0]).toBe(0);
      expect(d.maxAbs[1]).toBeCloseTo(1e-3, 6);
      expect(X0_PSNR_CRITERION_DB).toBe(40);
      expect(meetsX0Criterion(d)).toBe(true);
      expect(meetsX0Criterion({ psnr: [50, 39.9], maxAbs: [0, 0] })).toBe(false);
    });
  });
});

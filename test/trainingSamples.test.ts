import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { EpsModel } from '../src/lib/models/epsModel.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';
import { ddimSample } from '../src/lib/training/ddimSample.js';
import { gridRgba } from '../src/lib/training/imageGrid.js';

const schedule = linearSchedule();

/** The exact eps-model of a point mass at 0: x_t = sqrt(1-abar) eps, so eps = x_t / sqrt(1-abar). */
const pointMass: EpsModel = {
  name: 'point-mass-0',
  imageShape: [4, 4, 1],
  eps: (x, t) =>
    tf.tidy(() =>
      tf.mul(
        x,
        tf.tensor4d(
          t.map((s) => 1 / Math.sqrt(1 - schedule.abar(s))),
          [t.length, 1, 1, 1],
        ),
      ),
    ),
};

describe('preview sampling and sample grids', () => {
  it('DDIM with the exact point-mass model lands on the point, deterministically per seed', () => {
    const before = tf.memory().numTensors;
    const a = ddimSample(pointMass, schedule, { count: 5, T: 10, seed: 3, batchSize: 2 });
    expect(a.shape).toEqual([5, 4, 4, 1]);
    expect(tf.tidy(() => tf.max(tf.abs(a)).dataSync()[0])).toBeLessThan(1e-5);
    a.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // A model that ignores x keeps the seeded x_T's imprint: same seed, same samples.
    const noisy: EpsModel = { ...pointMass, eps: (x) => tf.mul(x, 0.5) };
    const s1 = ddimSample(noisy, schedule, { count: 2, T: 5, seed: 9 });
    const s2 = ddimSample(noisy, schedule, { count: 2, T: 5, seed: 9 });
    const s3 = ddimSample(noisy, schedule, { count: 2, T: 5, seed: 10 });
    expect(s1.dataSync()).toEqual(s2.dataSync());
    expect(s1.dataSync()).not.toEqual(s3.dataSync());
    tf.dispose([s1, s2, s3]);
  });

  it('gridRgba places image i at row i / cols, column i % cols, scaled, on a grey border', () => {
    const imgs = new Float32Array(3 * 4).fill(-1); // three 2x2 images
    imgs.set([1, 1, 1, 1], 8); // the third is white
    const g = gridRgba(imgs, 3, 2, 2, 2, 1, 2);
    expect([g.width, g.height]).toEqual([2 * 5 + 1, 2 * 5 + 1]);
    const px = (x: number, y: number) => g.rgba[(y * g.width + x) * 4];
    expect(px(0, 0)).toBe(128); // border
    expect(px(1, 1)).toBe(0); // image 0, black
    expect(px(4, 4)).toBe(0); // image 0 scaled 2x: 4x4 block
    expect(px(1, 6)).toBe(255); // image 2 starts the second row
    expect(px(7, 7)).toBe(128); // no fourth image
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createOperator } from '../src/lib/operators/createOperator.js';
import { ddrm } from '../src/lib/samplers/ddrm.js';
import { OPERATOR_CASES, randomImages, testPrior } from './support/fixtures.js';
import { expectNoLeak, maxAbsDiff } from './support/tfSetup.js';

const withView = OPERATOR_CASES.filter((c) => {
  const op = createOperator(c.spec, c.shape);
  const has = typeof op.spectral === 'function';
  op.dispose();
  return has;
});

describe('spectral views (the SVD DDRM works in)', () => {
  it('exist for every operator with a cheap exact SVD', () => {
    expect(withView.map((c) => c.spec.kind)).toEqual(expect.arrayContaining(['sr-avgpool', 'sr-bicubic', 'deblur-gaussian', 'inpainting', 'cs-walsh-hadamard', 'denoising', 'separable']));
  });

  it.each(withView)('$name: V S Uᵀ = Aᵀ, U S Vᵀ = A, V Vᵀ = I, V S⁺ Uᵀ = A⁺, no leak', async ({ spec, shape }) => {
    const op = createOperator(spec, shape);
    const x = randomImages(2, shape, 11);
    const y = randomImages(2, op.measurementShape, 12);
    await expectNoLeak(() => {
      const view = op.spectral!();
      tf.tidy(() => {
        const s = view.singulars;
        const sInv = tf.div(tf.cast(tf.greater(s, 0), 'float32'), tf.add(s, tf.cast(tf.equal(s, 0), 'float32')));
        const close = (a: tf.Tensor, b: tf.Tensor) => expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-4);
        expect(view.Vt(x).size).toBe(x.size);
        close(view.V(tf.mul(s, view.Ut(y))), op.AT(y));
        close(view.U(tf.mul(s, view.Vt(x))), op.A(x));
        close(view.V(view.Vt(x)), x);
        close(view.V(tf.mul(sInv, view.Ut(y))), op.Apinv(y));
      });
      view.dispose();
    });
    [x, y].forEach((t) => t.dispose());
    op.dispose();
  });
});

describe('DDRM', () => {
  const shape = [8, 12, 1] as const;
  const model = testPrior([...shape]);
  const run = async (spec: Parameters<typeof createOperator>[0], sigmaY: number, eta = 0.85) => {
    const op = createOperator(spec, [...shape]);
    const x = randomImages(2, shape, 21, 0.5) as tf.Tensor4D;
    const y = op.A(x);
    const xT = randomImages(2, shape, 22) as tf.Tensor4D;
    const z = randomImages(10, [2, ...shape], 23);
    const r = await ddrm({ model, operator: op, y, xT, z, T: 10, sigmaY, eta, etaB: 1 });
    const consistency = tf.tidy(() => maxAbsDiff(op.A(r.x0).dataSync(), y.dataSync()));
    const finite = tf.tidy(() => tf.all(tf.isFinite(r.x0)).dataSync()[0] === 1);
    [x, y, xT, z, r.x0].forEach((t) => t.dispose());
    op.dispose();
    return { consistency, finite, nfe: r.nfe };
  };

  it.each([
    { kind: 'sr-avgpool', factor: 4 },
    { kind: 'deblur-gaussian', sigma: 1 },
    { kind: 'inpainting', pattern: 'random', p: 0.5, seed: 1 },
    { kind: 'cs-walsh-hadamard', ratio: 0.25 },
    { kind: 'denoising' },
  ] as const)('with sigma_y = 0 and eta_b = 1 its x0 is consistent with y: $kind', async (spec) => {
    const r = await expectNoLeak(() => run(spec, 0));
    expect(r.consistency).toBeLessThan(1e-4);
    expect(r.nfe).toBe(10);
  });

  it('with sigma_y > 0 stays finite and does not copy the noisy y', async () => {
    const r = await run({ kind: 'sr-avgpool', factor: 4 }, 0.05, 0.85);
    expect(r.finite).toBe(true);
    expect(r.consistency).toBeGreaterThan(1e-4);
  });
});

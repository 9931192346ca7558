import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { EpsModel } from '../src/lib/models/epsModel.js';
import { gaussianPrior } from '../src/lib/models/gaussianPrior.js';
import { createOperator } from '../src/lib/operators/createOperator.js';
import { measure } from '../src/lib/operators/measure.js';
import { prepareRestoration } from '../src/lib/samplers/preparedRestoration.js';
import { uniformStream } from '../src/lib/random/prng.js';
import { ddrm } from '../src/lib/samplers/ddrm.js';
import { serialChain } from '../src/lib/samplers/serialChain.js';
import { stepCoefficients } from '../src/lib/schedule/stepCoefficients.js';
import { OPERATOR_CASES, randomImages, schedule, testPrior, type OperatorCase } from './support/fixtures.js';
import { expectNoLeak, maxAbsDiff } from './support/tfSetup.js';
import { expectFreedOnEveryFailure } from './support/failingModel.js';
import type { LinearOperator } from '../src/lib/operators/linearOperator.js';
import type { SpectralView } from '../src/lib/operators/spectralView.js';

const withView = OPERATOR_CASES.filter((c) => {
  const op = createOperator(c.spec, c.shape);
  const has = typeof op.spectral === 'function';
  op.dispose();
  return has;
});

describe('spectral views (the SVD DDRM works in)', () => {
  it('exist for every operator case except the dense matrix', () => {
    const without = OPERATOR_CASES.filter((c) => !withView.includes(c)).map((c) => c.spec.kind);
    expect(without).toEqual(['matrix']);
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

const T = 10;
const B = 2;
const byName = (name: string) => OPERATOR_CASES.find((c) => c.name === name)!;
/** |a - b| and |a - b| / |b| in float64. */
const l2 = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((acc, v, i) => acc + (v - b[i]) ** 2, 0));
const relativeL2 = (a: ArrayLike<number>, b: ArrayLike<number>) => l2(a, b) / Math.max(l2(b, new Float32Array(b.length)), 1e-300);

/** A restoration problem on one operator case: x at scale 0.5, y = A x + sigma_y n, fixed x_T and per-step noise z. */
function problem(c: OperatorCase, sigmaY: number, model: EpsModel = testPrior(c.shape)) {
  const operator = createOperator(c.spec, c.shape);
  const x = randomImages(B, c.shape, 21, 0.5) as tf.Tensor4D;
  const y = measure(operator, x, sigmaY, 24);
  const xT = randomImages(B, c.shape, 22) as tf.Tensor4D;
  const z = randomImages(T, [B, ...c.shape], 23);
  return {
    model,
    operator,
    x,
    y,
    xT,
    z,
    /** DDRM's x0 as numbers, with A x0 and the call's nfe. */
    run: async (settings: { sigmaY: number; eta: number; etaB: number }) => {
      const r = await ddrm({ model, operator, y, xT, z, T, ...settings });
      const out = { x0: r.x0.dataSync().slice(), Ax0: tf.tidy(() => operator.A(r.x0).dataSync().slice()), nfe: r.nfe };
      r.x0.dispose();
      return out;
    },
    dispose: () => {
      [x, y, xT, z].forEach((t) => t.dispose());
      operator.dispose();
      model.dispose?.();
    },
  };
}

describe('DDRM', () => {
  it.each(withView)(
    '$name: with sigma_y = 0 and eta_b = 1 its x0 satisfies A x0 = y to float32 precision (relative 1e-5), in T network calls, leaving no tensor behind',
    async (c) => {
      const r = await expectNoLeak(async () => {
        const p = problem(c, 0);
        const out = await p.run({ sigmaY: 0, eta: 0.85, etaB: 1 });
        const y = p.y.dataSync().slice();
        p.dispose();
        return { ...out, y };
      });
      // Measured (cpu): at most 9.8e-8 over all cases (exactly 0 for inpainting and denoising).
      expect(relativeL2(r.Ax0, r.y)).toBeLessThanOrEqual(1e-5);
      expect(r.nfe).toBe(T);
    },
  );

  it.each(withView)(
    '$name: with sigma_y = 0, eta = 1 and eta_b = 1 it is the DDNM chain with fresh noise (etw = 1, nw = 1, the same z) started from sqrt(abar_T) A+y + sqrt(1 - abar_T) x_T',
    async (c) => {
      const p = problem(c, 0);
      const fromDdrm = await p.run({ sigmaY: 0, eta: 1, etaB: 1 });
      const k = stepCoefficients(schedule, { T });
      const start = tf.tidy(() =>
        tf.add(tf.mul(p.operator.Apinv(p.y), k.sqrtAbarT[0]), tf.mul(p.xT, k.sqrtOneMinusAbarT[0])),
      ) as tf.Tensor4D;
      const task = prepareRestoration({ model: p.model, operator: p.operator, y: p.y, xT: start, z: p.z, sampling: { T, etw: 1, nw: 1 } });
      const ddnm = await serialChain(task);
      const fromDdnm = ddnm.x0.dataSync().slice();
      [ddnm.x0, start].forEach((t) => t.dispose());
      task.dispose();
      p.dispose();
      // Measured (cpu): at most 2.3e-7; with eta = 0.85 instead the two differ by 0.09 or more wherever A has a null space.
      expect(relativeL2(fromDdrm.x0, fromDdnm)).toBeLessThanOrEqual(1e-5);
    },
  );

  it.each([
    { sigmaY: 0, eta: 0.85, etaB: 1 },
    { sigmaY: 0.1, eta: 0.85, etaB: 1 },
    { sigmaY: 0.1, eta: 0.5, etaB: 0.7 },
  ])(
    'on inpainting (U = V = I) with a diagonal Gaussian prior it is the per-pixel DDRM update of Kawar et al., written out in float64 (sigma_y = $sigmaY, eta = $eta, eta_b = $etaB)',
    async ({ sigmaY, eta, etaB }) => {
      const [H, W, C] = [5, 6, 2];
      const D = H * W * C;
      const u = uniformStream(5);
      const mean = Array.from({ length: D }, () => 0.6 * (u() - 0.5));
      const variance = Array.from({ length: D }, () => 0.05 + 0.2 * u());
      const mask = Array.from({ length: H }, (_, i) => Array.from({ length: W }, (_, j) => ((i * W + j) % 3 === 0 ? 0 : 1)));
      const p = problem(
        { name: 'inpainting', spec: { kind: 'inpainting', mask }, shape: [H, W, C] },
        sigmaY,
        gaussianPrior(schedule, [H, W, C], mean, variance),
      );
      const [y, xT, z] = [p.y, p.xT, p.z].map((t) => t.dataSync().slice());
      const fromDdrm = await p.run({ sigmaY, eta, etaB });
      p.dispose();
      // The reference: x̄ = x in every pixel; observed pixels (s = 1) take the branch "noisier than y" while sigma_s >= sigma_y.
      const n = B * D;
      const observed = (i: number) => mask.flat()[Math.floor((i % D) / C)] === 1;
      const sigma = (abar: number) => Math.sqrt((1 - abar) / abar);
      const k = stepCoefficients(schedule, { T });
      const aT = schedule.abar(k.t[0]);
      const sT = sigma(aT);
      let x = Float64Array.from(
        { length: n },
        (_, i) => Math.sqrt(aT) * (observed(i) && sT > sigmaY ? y[i] + Math.sqrt(sT * sT - sigmaY * sigmaY) * xT[i] : sT * xT[i]),
      );
      for (let j = 0; j < T; j++) {
        const [at, as] = [schedule.abar(k.t[j]), schedule.abar(k.s[j])];
        const sS = sigma(as);
        x = x.map((xi, i) => {
          const px = i % D;
          const eps = (Math.sqrt(1 - at) * (xi - Math.sqrt(at) * mean[px])) / (at * variance[px] + 1 - at);
          const x0 = (xi - Math.sqrt(1 - at) * eps) / Math.sqrt(at);
          const zi = z[j * n + i];
          const next =
            !observed(i) ? x0 + Math.sqrt(1 - eta * eta) * sS * eps + eta * sS * zi
            : sS >= sigmaY ? etaB * y[i] + (1 - etaB) * x0 + Math.sqrt(sS * sS - sigmaY * sigmaY * etaB * etaB) * zi
            : x0 + (Math.sqrt(1 - eta * eta) * sS * (y[i] - x0)) / sigmaY + eta * sS * zi;
          return Math.sqrt(as) * next;
        });
      }
      // Measured (cpu): relative L2 at most 1.4e-7 over the three settings.
      expect(relativeL2(fromDdrm.x0, x)).toBeLessThanOrEqual(1e-5);
    },
  );

  it.each(['Ut', 'V'] as const)(
    'frees its spectral view and every tensor it made when the view fails before the first step (%s throws) or the model fails at any step',
    async (failing) => {
      const c = withView.find((w) => w.name === 'inpainting random 50 %')!;
      const p = problem(c, 0.05);
      const before = tf.memory().numTensors;
      const viewFailing = (): SpectralView => {
        const v = p.operator.spectral!();
        const fail = () => {
          throw new Error(`${failing} failed`);
        };
        return { ...v, [failing]: fail };
      };
      const operator: LinearOperator = { ...p.operator, spectral: viewFailing };
      await expect(ddrm({ model: p.model, operator, y: p.y, xT: p.xT, z: p.z, T, sigmaY: 0.05 })).rejects.toThrow(`${failing} failed`);
      expect(tf.memory().numTensors).toBe(before);
      await expectFreedOnEveryFailure(
        p.model,
        async (model) => (await ddrm({ model, operator: p.operator, y: p.y, xT: p.xT, z: p.z, T, sigmaY: 0.05 })).x0.dispose(),
        T,
      );
      p.dispose();
    },
  );

  it('with sigma_y > 0 it does not copy the noisy y: |A x0 - y| is the size of the noise, sigma_y sqrt(m) (between 0.5 and 2 times it), where sigma_y = 0 fits y exactly (sr-avgpool x4)', async () => {
    const sigmaY = 0.05;
    const p = problem(byName('sr-avgpool x4'), sigmaY);
    const y = p.y.dataSync().slice();
    const noisy = await p.run({ sigmaY, eta: 0.85, etaB: 1 });
    const told0 = await p.run({ sigmaY: 0, eta: 0.85, etaB: 1 });
    p.dispose();
    const noise = sigmaY * Math.sqrt(y.length);
    // Measured (cpu): 1.23 sigma_y sqrt(m) when told sigma_y, 5e-8 of it when told 0.
    expect(Array.from(noisy.x0).every(Number.isFinite)).toBe(true);
    expect(l2(noisy.Ax0, y) / noise).toBeGreaterThan(0.5);
    expect(l2(noisy.Ax0, y) / noise).toBeLessThan(2);
    expect(l2(told0.Ax0, y) / noise).toBeLessThan(1e-4);
  });

  it('with sigma_y > 0 on deblurring it does not amplify the noise as A+ y does: its error to the truth is under half that of A+ y and of DDRM told sigma_y = 0', async () => {
    const sigmaY = 0.05;
    const p = problem(byName('deblur-gaussian'), sigmaY);
    const x = p.x.dataSync().slice();
    const Apy = tf.tidy(() => p.operator.Apinv(p.y).dataSync().slice());
    const noisy = await p.run({ sigmaY, eta: 0.85, etaB: 1 });
    const told0 = await p.run({ sigmaY: 0, eta: 0.85, etaB: 1 });
    p.dispose();
    // Measured (cpu): error 5.2, against 19.1 for A+ y and 19.2 for DDRM told sigma_y = 0 (ratios 0.27).
    expect(l2(noisy.x0, x)).toBeLessThan(0.5 * l2(Apy, x));
    expect(l2(noisy.x0, x)).toBeLessThan(0.5 * l2(told0.x0, x));
  });
});

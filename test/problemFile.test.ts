import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ProblemFileError } from '../src/lib/errors.js';
import { flatToNhwc, nhwcToFlat } from '../src/lib/problem/layout.js';
import { parseProblem, solveProblem } from '../src/lib/problem/solveProblem.js';
import { gaussianArray } from '../src/lib/random/prng.js';
import { maxAbsDiff } from './support/tfSetup.js';

const H = 4;
const W = 6;
const C = 2;
const D = H * W * C;
const nhwcImage = Array.from(gaussianArray(D, 5), (v) => Math.tanh(v));
const nhwcMean = Array.from(gaussianArray(D, 6), (v) => 0.3 * v);

function problem(layout: 'NHWC' | 'NCHW', extra: Record<string, unknown> = {}) {
  const conv = (a: number[]) => nhwcToFlat(a, [1, H, W, C], layout);
  return {
    format: 'deqir-problem/1',
    layout,
    shape: layout === 'NHWC' ? [1, H, W, C] : [1, C, H, W],
    T: 10,
    prior: { kind: 'gaussian', mean: conv(nhwcMean), variance: 0.1 },
    operator: { kind: 'sr-avgpool', factor: 2 },
    xTrue: conv(nhwcImage),
    solver: { kind: 'picard', tol: 0, maxIter: 10 },
    ...extra,
  };
}

describe('deqir-problem/1 files', () => {
  it('NCHW and NHWC statements of one problem give the same x0 (in their own layouts)', async () => {
    const a = await solveProblem(parseProblem(problem('NHWC')));
    const b = await solveProblem(parseProblem(problem('NCHW')));
    expect(maxAbsDiff(a.x0, flatToNhwc(b.x0, [1, H, W, C], 'NCHW'))).toBeLessThan(1e-6);
    expect(a.maxAbsDiffToSerial).toBeLessThan(1e-4);
    expect(a.iterations).toBe(10);
    // Call i evaluates only the rows not yet final (10 − i + 1 of them): 10 + 9 + … + 1.
    expect(a.nfe).toBe(55);
  });

  it('with sigmaY > 0 the solver reaches the serial DDNM+ chain, and rangeCorrection "ddnm" restores plain DDNM instead', async () => {
    const noisy = { operator: { kind: 'sr-avgpool', factor: 2, sigmaY: 0.1 } };
    const plus = await solveProblem(parseProblem(problem('NHWC', noisy)));
    const plain = await solveProblem(parseProblem(problem('NHWC', { ...noisy, rangeCorrection: 'ddnm' })));
    expect(plus.maxAbsDiffToSerial).toBeLessThan(1e-4);
    expect(plain.maxAbsDiffToSerial).toBeLessThan(1e-4);
    expect(maxAbsDiff(plus.x0, plain.x0)).toBeGreaterThan(1e-2);
    expect(() => parseProblem(problem('NHWC', { rangeCorrection: 'ddnm++' }))).toThrow(/rangeCorrection/);
  });

  it('an explicit matrix in NCHW column order equals the same matrix in NHWC order', async () => {
    const M = 10;
    const rowsNhwc = Array.from({ length: M }, (_, i) => Array.from(gaussianArray(D, 100 + i)));
    const nhwc = problem('NHWC', { operator: { kind: 'matrix', A: rowsNhwc } });
    const nchw = problem('NCHW', { operator: { kind: 'matrix', A: rowsNhwc.map((r) => nhwcToFlat(r, [1, H, W, C], 'NCHW')) } });
    const a = await solveProblem(parseProblem(nhwc));
    const b = await solveProblem(parseProblem(nchw));
    expect(maxAbsDiff(a.x0, flatToNhwc(b.x0, [1, H, W, C], 'NCHW'))).toBeLessThan(1e-5);
  });

  it('y given explicitly equals y computed from xTrue', async () => {
    const fromX = await solveProblem(parseProblem(problem('NCHW')));
    const y = tf.tidy(() => {
      const x = tf.tensor4d(nhwcImage, [1, H, W, C]);
      return nhwcToFlat(tf.avgPool(x, 2, 2, 'valid').dataSync(), [1, H / 2, W / 2, C], 'NCHW');
    });
    const { xTrue: _x, ...rest } = problem('NCHW');
    const fromY = await solveProblem(parseProblem({ ...rest, y }));
    expect(maxAbsDiff(fromX.x0, fromY.x0)).toBeLessThan(1e-5);
  });

  it('per-step noise and the serial solver kind are supported', async () => {
    const r = await solveProblem(parseProblem(problem('NHWC', { etw: 0.85, nw: 0.85, noise: 'per-step', solver: { kind: 'serial' } })));
    expect(r.solver).toBe('serial');
    expect(r.x0).toEqual(r.x0Serial);
    expect(r.x0.every(Number.isFinite)).toBe(true);
  });

  it.each([
    [{ format: 'deqir-problem/2' }, /problem\.format/],
    [{ T: 0 }, /problem\.T/],
    [{ operator: { kind: 'sr-avgpool', factor: 'two' } }, /problem\.operator\.factor/],
    [{ operator: { kind: 'sr-avgpool', factor: 4 } }, /problem\.operator: factor 4 does not divide/],
    [{ operator: { kind: 'zoom' } }, /problem\.operator\.kind/],
    [{ operator: { kind: 'denoising', sigmaY: -1 } }, /problem\.operator\.sigmaY/],
    [{ y: [1, 2, 3] }, /exactly one of "y" or "xTrue"/],
    [{ xTrue: [1, 2, 3] }, /problem\.xTrue: array has 3 values, expected 48/],
    [{ solver: { kind: 'newton' } }, /problem\.solver\.kind/],
    [{ T: 2000 }, /problem\.T: T must be an integer from 2 to 100/],
    [{ T: 50, schedule: { kind: 'linear', N: 20 } }, /problem\.T: T = 50 exceeds the schedule length N = 20/],
    [{ solver: { kind: 'picard', maxIters: 3 } }, /problem\.solver\.maxIters: unknown key \(did you mean 'maxIter'\?\)/],
    [{ prior: { kind: 'gaussian', mean: 0, variance: 1e39 } }, /problem\.prior\.variance: must lie within float32 range/],
    [{ prior: { kind: 'gaussian', mean: [1], variance: 0.1 } }, /problem\.prior\.mean: array has 1 values, expected 48/],
  ])('a malformed file is refused with a ProblemFileError naming the field (%j)', async (patch, message) => {
    const run = async () => solveProblem(parseProblem({ ...problem('NHWC'), ...patch }));
    await expect(run()).rejects.toThrow(message);
    await expect(run()).rejects.toThrow(ProblemFileError);
  });
});

describe('the deqir CLI', () => {
  it('solve writes a result file with x0, x0Serial, iterations, nfe and residuals', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deqir-'));
    const input = join(dir, 'p.json');
    const output = join(dir, 'r.json');
    await writeFile(input, JSON.stringify(problem('NCHW', { solver: { kind: 'anderson', tol: 1e-4, maxIter: 30 } })));
    await promisify(execFile)('npx', ['tsx', 'scripts/deqir.ts', 'solve', input, '--out', output, '--backend', 'cpu']);
    const r = JSON.parse(await readFile(output, 'utf8'));
    expect(r.format).toBe('deqir-result/1');
    expect(r.x0).toHaveLength(D);
    expect(r.x0Serial).toHaveLength(D);
    expect(r.residuals.length).toBe(r.iterations);
    expect(r.maxAbsDiffToSerial).toBeLessThan(1e-2);
  });
  it('a missing file exits with status 2 and says why', async () => {
    const run = promisify(execFile)('npx', ['tsx', 'scripts/deqir.ts', 'solve', '/nonexistent.json']);
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read /nonexistent.json: ENOENT') });
  });
});

describe('problem files with a grad section', () => {
  it.each(['implicit', 'serial'] as const)('%s gradients of a region loss come back in the problem layout and agree', async (method) => {
    const mask = Array.from({ length: H * W }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const ref = await solveProblem(parseProblem(problem('NCHW', { grad: { loss: { kind: 'region', mask }, method: 'serial' } })));
    const r = await solveProblem(parseProblem(problem('NCHW', { grad: { loss: { kind: 'region', mask }, method } })));
    expect(r.grad!.xT).toHaveLength(D);
    expect(r.grad!.y).toHaveLength(D / 4);
    expect(maxAbsDiff(r.grad!.xT!, ref.grad!.xT!)).toBeLessThan(1e-4);
    // The NHWC statement of the same problem gives the same gradient, reordered.
    const nhwc = await solveProblem(parseProblem(problem('NHWC', { grad: { loss: { kind: 'region', mask }, method } })));
    expect(maxAbsDiff(nhwc.grad!.xT!, flatToNhwc(r.grad!.xT!, [1, H, W, C], 'NCHW'))).toBeLessThan(1e-5);
  });
  it('a unet prior loads the shipped model file and a missing one is named', async () => {
    const { loadModelFile } = await import('../src/lib/node/loadModelFile.js');
    const p = { ...problem('NHWC'), prior: { kind: 'unet', path: 'models/missing.safetensors' } };
    await expect(solveProblem(parseProblem(p), { loadModel: loadModelFile })).rejects.toThrow(
      /cannot read model file models\/missing.safetensors: ENOENT/,
    );
    await expect(
      solveProblem(parseProblem({ ...p, prior: { kind: 'unet', path: 'models/fashion-unet-small.safetensors' } }), {
        loadModel: loadModelFile,
      }),
    ).rejects.toThrow(/works on images \[28, 28, 1\], the problem has \[4, 6, 2\]/);
  });
});

describe('deqir restore', () => {
  it('round-trips a PNG: degrade, restore with the shipped model, write a 4-panel PNG', async () => {
    const { PNG } = await import('pngjs');
    const dir = await mkdtemp(join(tmpdir(), 'deqir-'));
    const input = join(dir, 'in.png');
    const output = join(dir, 'out.png');
    const png = new PNG({ width: 28, height: 28 });
    for (let i = 0; i < 784; i++) png.data.set([(i * 7) % 256, (i * 7) % 256, (i * 7) % 256, 255], 4 * i);
    await writeFile(input, PNG.sync.write(png));
    const { stderr } = await promisify(execFile)('npx', [
      'tsx',
      'scripts/deqir.ts',
      'restore',
      input,
      '--task',
      'sr4',
      '--T',
      '3',
      '--out',
      output,
    ]);
    expect(stderr).toMatch(/super-resolution x4.*PSNR [\d.]+ dB/);
    const out = PNG.sync.read(await readFile(output));
    expect([out.width, out.height]).toEqual([4 * 28 * 4 + 3 * 2, 28 * 4]);
  });
  it('refuses an image of another size and a file that is not a PNG, saying why', async () => {
    const { PNG } = await import('pngjs');
    const dir = await mkdtemp(join(tmpdir(), 'deqir-'));
    const big = join(dir, 'big.png');
    await writeFile(big, PNG.sync.write(new PNG({ width: 40, height: 30 })));
    const run = (file: string) =>
      promisify(execFile)('npx', ['tsx', 'scripts/deqir.ts', 'restore', file, '--task', 'sr4', '--out', join(dir, 'o.png')]);
    await expect(run(big)).rejects.toMatchObject({ stderr: expect.stringContaining('is 40x30; the model restores 28x28 grey images') });
    await writeFile(join(dir, 'text.png'), 'not a png');
    await expect(run(join(dir, 'text.png'))).rejects.toMatchObject({ stderr: expect.stringContaining('is not a readable PNG') });
  });
});

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { toSignedUnit } from '../src/lib/data/labelledImages.js';
import { fitPixelGaussian, PRIOR_VARIANCE_FLOOR } from '../src/lib/models/pixelGaussian.js';
import { EMOJI_SUBSET, PRIOR_FIT_IMAGES } from '../src/lib/data/shippedSubset.js';
import { ParameterError } from '../src/lib/errors.js';
import { TINY_TEST } from '../src/lib/models/unet/config.js';
import { disposeParams, initParams } from '../src/lib/models/unet/params.js';
import { encodeUNet } from '../src/lib/models/weights/unetWeights.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { runCli, type CliIo } from '../src/lib/node/cli.js';
import { loadModelFile } from '../src/lib/node/loadModelFile.js';
import { loadModelSpec } from '../src/lib/node/loadModelSpec.js';
import { decodePng, encodePng, writePng } from '../src/lib/node/pngImage.js';
import { restoreImage } from '../src/lib/node/restoreImage.js';
import { TASKS, tasksForChannels, TASK_NAMES } from '../src/lib/operators/taskRegistry.js';
import { parseProblem, solveProblem } from '../src/lib/problem/solveProblem.js';
import { expectNoLeak, maxAbsDiff } from './support/tfSetup.js';

/**
 * Colorization end to end, with the analytic Gaussian prior fitted to the colour emoji
 * subset (`--model gaussian:emoji`) standing in for the colour UNet: the same path takes any
 * [32, 32, 3] eps-model, a weight file included. The user gives a grey photo; the kit returns a
 * colour one whose channel mean is that photo (A x0 = y).
 */

const S = 32;
const emoji = loadBenchmarkSubset('data', EMOJI_SUBSET);
/** A picker image (0..127): the prior is fitted to the other half, so it never saw this one. */
const IMAGE = 3;
const rgb = emoji.pixels.subarray(IMAGE * S * S * 3, (IMAGE + 1) * S * S * 3);
/** The grey photo: each pixel the rounded mean of the emoji's channels, stored R = G = B. */
const greyBytes = Uint8Array.from({ length: S * S }, (_, i) => Math.round((rgb[3 * i] + rgb[3 * i + 1] + rgb[3 * i + 2]) / 3));

function greyPng(): Buffer {
  const png = new PNG({ width: S, height: S });
  greyBytes.forEach((g, i) => png.data.set([g, g, g, 255], 4 * i));
  return PNG.sync.write(png);
}

/** Panel k of the CLI's [Aᵀy | A⁺y | restored | original] picture as S x S RGB bytes (4x blocks, 2 px gaps). */
function panel(png: PNG, k: number): Uint8Array {
  const out = new Uint8Array(S * S * 3);
  for (let i = 0; i < S; i++)
    for (let j = 0; j < S; j++)
      for (let c = 0; c < 3; c++) out[3 * (i * S + j) + c] = png.data[4 * (4 * i * png.width + k * (S * 4 + 2) + 4 * j) + c];
  return out;
}

function capture(): CliIo & { err: string } {
  const io = { err: '', stdout: () => {}, stderr: (t: string) => void (io.err += t) };
  return io;
}

const tmp = () => mkdtemp(join(tmpdir(), 'deqir-colorize-'));

describe('the colorize task', () => {
  it('is in the one registry as colorization without noise, and only colour priors can take it', () => {
    expect(TASKS.colorize).toMatchObject({ spec: { kind: 'colorization' }, sigmaY: 0, hasNullSpace: true, channels: 3 });
    expect(tasksForChannels(1)).not.toContain('colorize');
    expect(tasksForChannels(1)).toEqual(TASK_NAMES.filter((t) => t !== 'colorize'));
    expect(tasksForChannels(3)).toEqual(TASK_NAMES);
  });
});

describe('colour PNGs', () => {
  it('round-trip: [H, W, 3] written as RGB reads back as the same values; a grey panel beside it stays grey', async () => {
    const x = toSignedUnit(emoji, [IMAGE]);
    const grey = Float32Array.from({ length: S * S }, (_, i) => x[3 * i]);
    const dir = await tmp();
    await writePng(join(dir, 'c.png'), [x, grey], S, S);
    const bytes = new Uint8Array(await readFile(join(dir, 'c.png')));
    const png = PNG.sync.read(Buffer.from(bytes));
    expect([png.width, png.height]).toEqual([2 * S + 2, S]);
    const alone = decodePng(encodePng([x], S, S), 'c.png', 3);
    expect(alone).toMatchObject({ width: S, height: S, channels: 3 });
    expect(maxAbsDiff(alone.pixels, x)).toBeLessThan(1e-6);
    // The grey panel: R = G = B = its value.
    const o = 4 * (5 * png.width + S + 2 + 7);
    expect([png.data[o], png.data[o + 1], png.data[o + 2]]).toEqual(new Array(3).fill(emoji.pixels[3 * IMAGE * S * S + 3 * (5 * S + 7)]));
  });

  it('a grey PNG read for a colour prior is R = G = B, the grey value', () => {
    const { pixels, channels } = decodePng(greyPng(), 'grey.png', 3);
    expect(channels).toBe(3);
    for (let i = 0; i < S * S; i++) {
      expect(pixels[3 * i]).toBe(pixels[3 * i + 1]);
      expect(pixels[3 * i]).toBe(pixels[3 * i + 2]);
    }
    expect(
      maxAbsDiff(
        decodePng(greyPng(), 'grey.png', 1).pixels,
        pixels.filter((_, i) => i % 3 === 0),
      ),
    ).toBeLessThan(1e-6);
  });
});

describe('deqir restore --task colorize --model gaussian:emoji', () => {
  // The diagonal Gaussian of the emoji subset, and the shipped colour UNet (on wasm: too slow for cpu).
  // unclipped: the share of pixels with no channel clipped to [0, 255], where the channel-mean check
  // applies; the UNet paints more saturated colours than the Gaussian, so more clip.
  it.each([
    { model: 'gaussian:emoji', backend: 'cpu', unclipped: 0.9 },
    { model: 'models/emoji-unet.safetensors', backend: 'wasm', unclipped: 0.75 },
  ])(
    'colourises a grey PNG with $model: the output is RGB, in colour, and its channel mean is the grey input to 8-bit rounding',
    async ({ model, backend, unclipped: share }) => {
      const dir = await tmp();
      await writeFile(join(dir, 'grey.png'), greyPng());
      const io = capture();
      const code = await runCli(
        [
          'restore',
          join(dir, 'grey.png'),
          '--task',
          'colorize',
          '--model',
          model,
          '--T',
          '10',
          '--backend',
          backend,
          '--out',
          join(dir, 'out.png'),
        ],
        io,
      );
      expect(io.err).toMatch(/colorization, y = mean of the three channels, DeqIR taa/);
      expect(code).toBe(0);
      const out = PNG.sync.read(await readFile(join(dir, 'out.png')));
      expect([out.width, out.height]).toEqual([4 * S * 4 + 3 * 2, S * 4]);
      const [apy, x0, original] = [panel(out, 1), panel(out, 2), panel(out, 3)];
      // A+y and the original are the grey photo itself.
      for (let i = 0; i < S * S; i++)
        for (let c = 0; c < 3; c++) expect([apy[3 * i + c], original[3 * i + c]]).toEqual([greyBytes[i], greyBytes[i]]);
      let coloured = 0;
      let unclipped = 0;
      for (let i = 0; i < S * S; i++) {
        const px = x0.subarray(3 * i, 3 * i + 3);
        if (Math.max(...px) - Math.min(...px) > 10) coloured++;
        // Where no channel was clipped to [0, 255], the mean of three rounded bytes is the grey byte within one step.
        if (px.every((v) => v > 0 && v < 255)) {
          unclipped++;
          expect(Math.abs((px[0] + px[1] + px[2]) / 3 - greyBytes[i])).toBeLessThanOrEqual(1);
        }
      }
      expect(coloured).toBeGreaterThan(0.1 * S * S);
      expect(unclipped).toBeGreaterThan(share * S * S);
    },
  );

  it("DeqIR's x0 equals the serial chain's within 1e-4 after T iterations, satisfies A x0 = y, and leaves no tensor behind", async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'grey.png'), greyPng());
    const model = await loadModelSpec('gaussian:emoji');
    const T = 10;
    const base = { model, input: { png: join(dir, 'grey.png') }, task: 'colorize' as const, T, seed: 4 };
    const [serial, taa, picard] = await expectNoLeak(() =>
      Promise.all([
        restoreImage({ ...base, method: 'serial' }),
        restoreImage({ ...base, method: 'deqir', solver: { tol: 0, maxIter: T } }),
        restoreImage({ ...base, method: 'deqir', solver: { kind: 'picard', tol: 0, maxIter: T } }),
      ]),
    );
    model.dispose?.();
    for (const r of [taa, picard]) {
      expect(r.iterations).toBeLessThanOrEqual(T);
      expect(maxAbsDiff(r.x0, serial.x0)).toBeLessThan(1e-4);
    }
    expect(serial.y.length).toBe(S * S);
    const mean = Float32Array.from({ length: S * S }, (_, i) => (taa.x0[3 * i] + taa.x0[3 * i + 1] + taa.x0[3 * i + 2]) / 3);
    expect(maxAbsDiff(mean, taa.y)).toBeLessThan(1e-5);
  });

  it('a grey prior asked for colorize is refused with a ParameterError naming the field task, before anything is allocated', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'grey.png'), greyPng());
    const grey = await loadModelSpec('gaussian:fashion');
    const before = tf.memory().numTensors;
    const err = await restoreImage({ model: grey, input: { subsetImage: 0 }, task: 'colorize', method: 'serial', T: 2, seed: 0 }).catch(
      (e: unknown) => e,
    );
    expect(tf.memory().numTensors).toBe(before);
    grey.dispose?.();
    expect(err).toBeInstanceOf(ParameterError);
    expect(err).toMatchObject({
      code: 'parameter',
      field: 'task',
      message: expect.stringMatching(/^task 'colorize' needs a prior on 3-channel \(colour\) images; this prior works on \[28, 28, 1\]/),
    });
    // The CLI says so in one line and exits 2 (bad input), with the default grey UNet as with the grey Gaussian.
    for (const model of [[], ['--model', 'gaussian:fashion']]) {
      const io = capture();
      expect(
        await runCli(['restore', '--image', '0', '--task', 'colorize', ...model, '--backend', 'cpu', '--out', join(dir, 'o.png')], io),
      ).toBe(2);
      expect(io.err).toMatch(
        /^deqir: task 'colorize' needs a prior on 3-channel \(colour\) images; .*; give a colour --model \(gaussian:emoji/,
      );
    }
  });

  it('--image N of a colour model is emoji N; every task of a colour prior runs the same path (sr4 in colour)', async () => {
    const dir = await tmp();
    const io = capture();
    expect(
      await runCli(
        [
          'restore',
          '--image',
          String(IMAGE),
          '--task',
          'sr4',
          '--model',
          'gaussian:emoji',
          '--T',
          '4',
          '--method',
          'serial',
          '--backend',
          'cpu',
          '--out',
          join(dir, 'o.png'),
        ],
        io,
      ),
    ).toBe(0);
    expect(panel(PNG.sync.read(await readFile(join(dir, 'o.png'))), 3)).toEqual(Uint8Array.from(rgb));
  });

  it('takes a [32, 32, 3] UNet weight file through the same --model path (the future colour UNet)', async () => {
    const dir = await tmp();
    const cfg = { ...TINY_TEST, imageShape: [S, S, 3] as const };
    const params = initParams(cfg, 1);
    await writeFile(join(dir, 'colour.safetensors'), await encodeUNet(cfg, params, { name: 'colour test UNet' }));
    disposeParams(params);
    await writeFile(join(dir, 'grey.png'), greyPng());
    const io = capture();
    const code = await runCli(
      [
        'restore',
        join(dir, 'grey.png'),
        '--task',
        'colorize',
        '--model',
        join(dir, 'colour.safetensors'),
        '--T',
        '2',
        '--method',
        'serial',
        '--backend',
        'cpu',
        '--out',
        join(dir, 'o.png'),
      ],
      io,
    );
    expect(io.err).not.toMatch(/deqir:/);
    expect(code).toBe(0);
    const out = PNG.sync.read(await readFile(join(dir, 'o.png')));
    expect([out.width, out.height]).toEqual([4 * S * 4 + 3 * 2, S * 4]);
    // And as a problem file's unet prior (deqir solve's loader), for an explicit colorization operator.
    const problem = parseProblem({
      format: 'deqir-problem/1',
      shape: [1, S, S, 3],
      T: 2,
      prior: { kind: 'unet', path: join(dir, 'colour.safetensors') },
      operator: { kind: 'colorization' },
      xTrue: Array.from(toSignedUnit(emoji, [IMAGE])),
      solver: { kind: 'taa', tol: 0 },
    });
    const r = await expectNoLeak(() => solveProblem(problem, { loadModel: loadModelFile }));
    expect(r.x0.length).toBe(S * S * 3);
    expect(r.maxAbsDiffToSerial).toBeLessThan(1e-4);
  });
});

describe('deqir-problem/1 with colour', () => {
  const fit = fitPixelGaussian(toSignedUnit(emoji, PRIOR_FIT_IMAGES), PRIOR_FIT_IMAGES.length, PRIOR_VARIANCE_FLOOR);
  const colourProblem = (extra: Record<string, unknown> = {}) => ({
    format: 'deqir-problem/1',
    shape: [1, S, S, 3],
    T: 8,
    prior: { kind: 'gaussian', mean: Array.from(fit.mean), variance: Array.from(fit.variance) },
    operator: { kind: 'colorization' },
    xTrue: Array.from(toSignedUnit(emoji, [IMAGE])),
    solver: { kind: 'taa', tol: 0 },
    ...extra,
  });

  it('a colorization problem with the emoji Gaussian prior solves: x0 = serial within 1e-4 and its channel mean is y', async () => {
    const r = await expectNoLeak(() => solveProblem(parseProblem(colourProblem())));
    expect(r.maxAbsDiffToSerial).toBeLessThan(1e-4);
    const x = toSignedUnit(emoji, [IMAGE]);
    let worst = 0;
    for (let i = 0; i < S * S; i++)
      worst = Math.max(worst, Math.abs((r.x0[3 * i] + r.x0[3 * i + 1] + r.x0[3 * i + 2] - (x[3 * i] + x[3 * i + 1] + x[3 * i + 2])) / 3));
    expect(worst).toBeLessThan(1e-5);
  });

  it('colorization of grey images is refused at parse time, naming the operator and the shape', () => {
    const grey = {
      ...colourProblem(),
      shape: [1, S, S, 1],
      prior: { kind: 'gaussian', mean: 0, variance: 0.2 },
      xTrue: new Array(S * S).fill(0),
    };
    expect(() => parseProblem(grey)).toThrow(
      /problem\.operator\.kind: colorization needs colour images \(3 channels\); shape \[1, 32, 32, 1\] in NHWC has 1/,
    );
  });
});

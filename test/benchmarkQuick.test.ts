import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { QUICK_QUALITY_SETTINGS } from '../src/lib/bench/qualitySettings.js';
import type { CellResult } from '../src/lib/bench/restorationBenchmark.js';
import { qualityInputHashes, runQualityBenchmark } from '../src/lib/node/runQualityBenchmark.js';

const FILE = 'data/benchmarks/quality-quick.json';
// Where the prior's weights are read from: models/ by default; DEQIR_BENCH_MODEL points at the
// committed weights (git show HEAD:models/fashion-unet-small.safetensors > FILE) while a training run rewrites models/.
const modelFile = process.env.DEQIR_BENCH_MODEL;
const REGENERATE = 'regenerate it with `npm run bench -- quality --quick` and commit data/benchmarks/quality-quick.json';

interface QuickFile {
  provenance: { backend: string; settings: unknown; files: Record<string, string> };
  complete: boolean;
  cells: CellResult[];
}

describe('the committed quick benchmark slice', () => {
  const committed = JSON.parse(readFileSync(FILE, 'utf8')) as QuickFile;

  // The slice was measured on wasm (the cpu backend runs the UNet at ~2 images/s, 50x slower),
  // so it is recomputed on wasm too: both are deterministic for a seed.
  beforeAll(async () => {
    await useNodeBackend(committed.provenance.backend as 'wasm');
  });

  it('was made with the current quick settings, model weights and classifier', () => {
    expect(committed.complete).toBe(true);
    expect(committed.provenance.settings, `quick settings changed: ${REGENERATE}`).toEqual(
      JSON.parse(JSON.stringify(QUICK_QUALITY_SETTINGS)),
    );
    expect(
      qualityInputHashes(QUICK_QUALITY_SETTINGS, modelFile),
      `model, classifier or images changed since the slice was measured: ${REGENERATE}`,
    ).toEqual(committed.provenance.files);
  });

  it(
    'is reproduced exactly (PSNR, SSIM, consistency, classifier label, iterations, NFE) without leaking tensors',
    { timeout: 300_000 },
    async () => {
      const before = tf.memory().numTensors;
      const { cells } = await runQualityBenchmark(QUICK_QUALITY_SETTINGS, { modelFile });
      expect(tf.memory().numTensors).toBe(before);
      expect(cells.map((c) => c.key)).toEqual(committed.cells.map((c) => c.key));
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));
      cells.forEach((cell, i) => {
        const want = committed.cells[i];
        cell.images.forEach((got, j) => {
          const w = want.images[j];
          const where = `${cell.key} image ${got.image}`;
          expect(got.image, where).toBe(w.image);
          for (const k of ['psnr', 'ssim', 'consistency'] as const)
            expect(close(got[k], w[k]), `${where} ${k}: ${got[k]} vs committed ${w[k]}`).toBe(true);
          for (const k of ['iterations', 'nfe', 'sequentialDepth', 'correct'] as const) expect(got[k], `${where} ${k}`).toBe(w[k]);
        });
      });
    },
  );

  it('a missing classifier file is named, and the loaded prior freed', async () => {
    const before = tf.memory().numTensors;
    await expect(
      runQualityBenchmark({ ...QUICK_QUALITY_SETTINGS, classifier: 'models/no-such-classifier.safetensors' }, { modelFile }),
    ).rejects.toThrow(/no-such-classifier/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

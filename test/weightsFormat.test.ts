import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { TINY_TEST } from '../src/lib/models/unet/config.js';
import { initParams } from '../src/lib/models/unet/params.js';
import { UNetEpsModel } from '../src/lib/models/unet/unetModel.js';
import { decodeWeights, encodeWeights } from '../src/lib/models/weights/safetensors.js';
import { decodeUNet, encodeUNet } from '../src/lib/models/weights/unetWeights.js';
import { gaussianArray } from '../src/lib/random/prng.js';
import { rewriteHeader } from './support/weightFiles.js';

/** Tiny UNet whose parameters are all random (so any swapped tensor changes the output). */
function randomParams(seed: number) {
  const p = initParams(TINY_TEST, seed);
  let i = 0;
  for (const k of Object.keys(p)) {
    const shape = p[k].shape;
    p[k].dispose();
    p[k] = tf.tensor(
      gaussianArray(
        shape.reduce((a, b) => a * b, 1),
        seed * 1000 + i++,
      ),
      shape,
    );
  }
  return p;
}

async function tinyFile(): Promise<Uint8Array> {
  const p = randomParams(1);
  const bytes = await encodeUNet(TINY_TEST, p, { name: 'tiny' });
  Object.values(p).forEach((t) => t.dispose());
  return bytes;
}

describe('weight files (safetensors-compatible)', () => {
  it('round-trips a UNet bit-identically: same tensors, same eps outputs', async () => {
    const p = randomParams(2);
    const a = new UNetEpsModel(TINY_TEST, p);
    const bytes = await encodeUNet(TINY_TEST, p, { name: 'tiny' });
    const { model: b, metadata } = await decodeUNet(bytes);
    expect(metadata.name).toBe('tiny');
    expect(b.config).toEqual(TINY_TEST);
    for (const k of Object.keys(p)) expect(b.params[k].dataSync()).toEqual(p[k].dataSync());
    const x = tf.tensor4d(gaussianArray(2 * 64, 3), [2, 8, 8, 1]);
    const ya = a.eps(x, [3, 700]);
    const yb = b.eps(x, [3, 700]);
    expect(yb.dataSync()).toEqual(ya.dataSync());
    tf.dispose([x, ya, yb]);
    a.dispose();
    b.dispose();
  });

  it('writes the safetensors layout: u64 LE header length, JSON header, 8-aligned F32 data', async () => {
    const bytes = await encodeWeights([{ name: 'w', shape: [2], data: new Float32Array([1.5, -2]) }], { note: 'x' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.w).toEqual({ dtype: 'F32', shape: [2], data_offsets: [0, 8] });
    expect(header.__metadata__).toMatchObject({ note: 'x', format: 'deqir-weights', format_version: '1' });
    expect(header.__metadata__.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(new DataView(bytes.buffer).getFloat32(8 + n + 4, true)).toBe(-2);
  });

  it('refuses a truncated file, saying it is truncated', async () => {
    const bytes = await tinyFile();
    await expect(decodeUNet(bytes.subarray(0, bytes.length - 10))).rejects.toThrow(/truncated/);
    await expect(decodeUNet(bytes.subarray(0, 5))).rejects.toThrow(/too short/);
    await expect(decodeUNet(bytes.subarray(0, 100))).rejects.toThrow(/truncated/);
  });

  it('refuses a corrupted data byte with a sha256 mismatch', async () => {
    const bytes = (await tinyFile()).slice();
    bytes[bytes.length - 7] ^= 0x40;
    await expect(decodeUNet(bytes)).rejects.toThrow(/sha256 mismatch/);
  });

  it('refuses garbage headers, wrong dtypes, wrong versions and foreign files', async () => {
    const bytes = await tinyFile();
    const garbage = bytes.slice();
    garbage[10] = 0xff;
    await expect(decodeUNet(garbage)).rejects.toThrow(/not valid UTF-8 JSON/);
    const f16 = rewriteHeader(bytes, (h) => (h['conv_in.b'].dtype = 'F16'));
    await expect(decodeUNet(f16)).rejects.toThrow(/'conv_in.b' has dtype F16/);
    const v2 = rewriteHeader(bytes, (h) => (h.__metadata__.format_version = '2'));
    await expect(decodeUNet(v2)).rejects.toThrow(/format_version '2' is not supported/);
    const foreign = rewriteHeader(bytes, (h) => delete h.__metadata__);
    await expect(decodeUNet(foreign)).rejects.toThrow(/format is 'undefined'/);
  });

  it('refuses files whose tensors do not match the model config', async () => {
    const bytes = await tinyFile();
    const missing = rewriteHeader(bytes, (h) => {
      const m = JSON.parse(h.__metadata__.config);
      m.channels = [8, 16, 16];
      m.imageShape = [8, 8, 1];
      h.__metadata__.config = JSON.stringify(m);
    });
    await expect(decodeUNet(missing)).rejects.toThrow(/missing tensors: /);
    const wider = rewriteHeader(bytes, (h) => {
      const m = JSON.parse(h.__metadata__.config);
      m.timeEmbedDim = 16;
      h.__metadata__.config = JSON.stringify(m);
    });
    await expect(decodeUNet(wider)).rejects.toThrow(/'temb.dense0.w' has shape \[8,32\], the model expects \[16,64\]/);
    await expect(decodeUNet(bytes, { expectConfig: { ...TINY_TEST, groups: 2 } })).rejects.toThrow(/differs from the expected/);
    const shifted = rewriteHeader(
      bytes,
      (h) => (h['conv_in.b'].data_offsets = [h['conv_in.b'].data_offsets[0] + 4, h['conv_in.b'].data_offsets[1] + 4]),
    );
    await expect(decodeUNet(shifted)).rejects.toThrow(/data_offsets/);
  });

  it('leaves no tensors behind when a load fails', async () => {
    const bytes = (await tinyFile()).slice();
    bytes[bytes.length - 1] ^= 1;
    const before = tf.memory().numTensors;
    await expect(decodeUNet(bytes)).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});

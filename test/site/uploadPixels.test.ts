import { describe, expect, it } from 'vitest';
import { EMOJI_BACKGROUND } from '../../src/lib/data/emoji.js';
import { ParameterError } from '../../src/lib/errors.js';
import { letterbox, letterboxColour, modelPixelsFromRgba, uploadNotice } from '../../src/lib/site/uploadPixels.js';

/** An RGBA canvas of `size` filled with `fill`, a block of `block` colour drawn over [x0, x1) x [y0, y1). */
function canvas(size: number, fill: number[], block?: { colour: number[]; x0: number; x1: number; y0: number; y1: number }) {
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const inBlock = block && x >= block.x0 && x < block.x1 && y >= block.y0 && y < block.y1;
      rgba.set([...(inBlock ? block.colour : fill), 255], 4 * (y * size + x));
    }
  return rgba;
}

describe('an upload for the colour prior', () => {
  it('letterboxes a wide image whole and centred, on the training data mid grey', () => {
    expect(letterbox(64, 32, 32)).toEqual({ x: 0, y: 8, w: 32, h: 16 });
    expect(letterboxColour(3)).toEqual(EMOJI_BACKGROUND);
    expect(EMOJI_BACKGROUND).toEqual([128, 128, 128]);
    expect(letterboxColour(1)).toEqual([0, 0, 0]);
  });

  it('keeps the colours, RGB interleaved in [-1, 1], and never inverts a light background', () => {
    const rgba = canvas(32, [255, 255, 255], { colour: [255, 0, 0], x0: 8, x1: 24, y0: 8, y1: 24 });
    const { pixels, inverted } = modelPixelsFromRgba(rgba, [32, 32, 3], letterbox(32, 32, 32));
    expect(inverted).toBe(false);
    expect(pixels).toHaveLength(32 * 32 * 3);
    expect(Array.from(pixels.slice(0, 3))).toEqual([1, 1, 1]);
    const centre = 3 * (16 * 32 + 16);
    expect(Array.from(pixels.slice(centre, centre + 3))).toEqual([1, -1, -1]);
  });

  it('maps the mid-grey letterbox to about 0, as the training images background', () => {
    const { pixels } = modelPixelsFromRgba(canvas(32, [128, 128, 128]), [32, 32, 3], letterbox(10, 20, 32));
    for (const v of pixels) expect(Math.abs(v)).toBeLessThan(0.01);
  });

  it('says what was done, with the sizes and the background', () => {
    expect(uploadNotice(64, 64, [32, 32, 3], false)).toBe(
      "Your 64×64 image was scaled to 32×32 RGB, the colour model's size, with transparent parts and margins on the mid-grey background (128, 128, 128) the emoji were trained on.",
    );
    expect(uploadNotice(100, 50, [32, 32, 3], false)).toMatch(/^Your 100×50 image was scaled to 32×32 RGB \(fitted whole, centred\)/);
  });
});

describe('an upload for the grey prior (unchanged)', () => {
  it('converts to grey and inverts a light background, saying so', () => {
    const rgba = canvas(28, [255, 255, 255], { colour: [0, 0, 0], x0: 10, x1: 18, y0: 10, y1: 18 });
    const { pixels, inverted } = modelPixelsFromRgba(rgba, [28, 28, 1], letterbox(28, 28, 28));
    expect(inverted).toBe(true);
    expect(pixels[0]).toBeCloseTo(-1, 5);
    expect(pixels[14 * 28 + 14]).toBeCloseTo(1, 5);
    expect(uploadNotice(28, 28, [28, 28, 1], true)).toBe(
      "Your 28×28 image was converted to 28×28 grayscale, the model's size and channels, and inverted because its background is light (Fashion-MNIST items are light on black).",
    );
  });

  it('leaves a dark background as it is', () => {
    const { inverted } = modelPixelsFromRgba(canvas(28, [0, 0, 0]), [28, 28, 1], letterbox(28, 28, 28));
    expect(inverted).toBe(false);
  });

  it('refuses a canvas of the wrong size or an odd shape, naming the field', () => {
    expect(() => modelPixelsFromRgba(new Uint8ClampedArray(10), [28, 28, 1], letterbox(1, 1, 28))).toThrow(ParameterError);
    try {
      modelPixelsFromRgba(new Uint8ClampedArray(4 * 28 * 28), [28, 28, 2], letterbox(1, 1, 28));
    } catch (e) {
      expect((e as ParameterError).field).toBe('shape');
    }
  });
});

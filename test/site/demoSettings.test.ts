import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, maskFromHex, maskToHex, settingsFromParams, settingsToParams } from '../../src/lib/site/jobSettings.js';
import { decodeImage, encodeImage } from '../../src/lib/site/imageCodec.js';

describe('the demo view state in the URL', () => {
  it('round-trips every setting, the drawn mask included', () => {
    const mask = Uint8Array.from({ length: 784 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const s = { ...DEFAULT_SETTINGS, task: 'inpainting' as const, T: 7, image: 12, solver: 'anderson' as const, maxIter: 9, tol: 1e-4, m: 3, lambda: 0.01, beta: 0.5, seed: 42, prior: 'gaussian' as const, mask };
    const back = settingsFromParams(new URLSearchParams(settingsToParams(s).toString()));
    expect(back).toEqual(s);
  });

  it('writes nothing for the defaults, so the default view has a clean URL', () => {
    expect(settingsToParams(DEFAULT_SETTINGS).toString()).toBe('');
  });

  it('clamps out-of-range values and ignores unknown ones', () => {
    const s = settingsFromParams(new URLSearchParams('T=100000&task=nonsense&beta=-3&maxIter=abc&mask=zz'));
    expect(s.T).toBe(100);
    expect(s.task).toBe(DEFAULT_SETTINGS.task);
    expect(s.beta).toBe(0.05);
    expect(s.maxIter).toBe(DEFAULT_SETTINGS.maxIter);
    expect(s.mask).toBeNull();
  });

  it('packs a 28x28 mask into 196 hex digits', () => {
    const mask = Uint8Array.from({ length: 784 }, (_, i) => i & 1);
    expect(maskToHex(mask)).toHaveLength(196);
    expect(maskFromHex(maskToHex(mask), 784)).toEqual(mask);
  });
});

describe('figure images as 8-bit base64', () => {
  it('maps [-1, 1] to 0..255 and clips beyond', () => {
    expect(Array.from(decodeImage(encodeImage([-1, 0, 1, -7, 7])))).toEqual([0, 128, 255, 0, 255]);
  });
});

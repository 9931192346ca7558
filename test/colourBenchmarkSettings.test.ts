import { describe, expect, it } from 'vitest';
import { colourQualitySettings, spreadEmojiImages } from '../src/lib/bench/qualitySettings.js';
import { EMOJI_SUBSET } from '../src/lib/data/shippedSubset.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { checkTaskChannels } from '../src/lib/operators/taskRegistry.js';

describe('the colour benchmark run (npm run bench -- quality-colour)', () => {
  const set = loadBenchmarkSubset('data', EMOJI_SUBSET);

  it('restores 64 different emoji spread over every category and both vendors', () => {
    const images = colourQualitySettings().images;
    expect(images).toHaveLength(64);
    expect(new Set(images.map((i) => Math.floor(i / 2))).size).toBe(64);
    expect(new Set(images.map((i) => set.labels[i])).size).toBe(EMOJI_SUBSET.classNames.length);
    // The subset holds each emoji's Twemoji image at an even index and its Noto image at the next.
    expect(images.filter((i) => i % 2 === 0)).toHaveLength(32);
    expect(Math.max(...images)).toBeLessThan(EMOJI_SUBSET.count);
  });

  it('a smaller run spreads the same way and stays inside the subset', () => {
    expect(spreadEmojiImages(4)).toEqual([0, 65, 128, 193]);
    expect(spreadEmojiImages(1000)).toHaveLength(EMOJI_SUBSET.count);
  });

  it('runs colorization, SR x4 and box inpainting, noiseless and noisy, on the colour prior with its own classifier', () => {
    const s = colourQualitySettings();
    expect(s.cells.map((c) => `${c.preset}@${c.sigmaY}`)).toEqual([
      'colorize@0',
      'colorize@0.05',
      'sr4@0',
      'sr4@0.05',
      'inpaint-box@0',
      'inpaint-box@0.05',
    ]);
    for (const c of s.cells) expect(() => checkTaskChannels(c.preset as never, EMOJI_SUBSET.shape)).not.toThrow();
    expect(s.prior).toBe('models/emoji-unet.safetensors');
    expect(s.classifier).toBe('models/emoji-classifier.safetensors');
    expect(s.subset).toBe('emoji');
  });
});

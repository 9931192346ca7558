import { describe, expect, it } from 'vitest';
import { TASKS, taskTakesChannels } from '../../src/lib/operators/taskRegistry.js';
import { defaultMaxIter } from '../../src/lib/deq/solvers/solverDefaults.js';
import { T_RANGE } from '../../src/lib/bounds.js';
import {
  DEFAULT_SETTINGS,
  SITE_TASKS,
  TASK_LABELS,
  maskFromHex,
  maskToHex,
  maxIterOf,
  settingsFromParams,
  settingsToParams,
} from '../../src/lib/site/jobSettings.js';
import { decodeImage, encodeImage } from '../../src/lib/site/imageCodec.js';

describe('job settings in the URL', () => {
  it('round-trips every setting, the drawn mask included', () => {
    const mask = Uint8Array.from({ length: 784 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const s = {
      ...DEFAULT_SETTINGS,
      task: 'inpaint-box' as const,
      T: 7,
      image: 12,
      solver: 'anderson' as const,
      maxIter: 9,
      tol: 1e-4,
      m: 3,
      lambda: 0.01,
      beta: 0.5,
      seed: 42,
      prior: 'gaussian' as const,
      mask,
    };
    const back = settingsFromParams(new URLSearchParams(settingsToParams(s).toString()));
    expect(back).toEqual(s);
  });

  it('writes nothing for the defaults, so the default view has a clean URL', () => {
    expect(settingsToParams(DEFAULT_SETTINGS).toString()).toBe('');
  });

  it('clamps out-of-range values and ignores unknown ones', () => {
    const s = settingsFromParams(new URLSearchParams('T=100000&task=nonsense&beta=-3&maxIter=abc&mask=zz'));
    expect(s.T).toBe(T_RANGE.max);
    expect(s.task).toBe(DEFAULT_SETTINGS.task);
    expect(s.beta).toBe(0.05);
    expect(s.maxIter).toBe(DEFAULT_SETTINGS.maxIter);
    expect(s.mask).toBeNull();
  });

  it('follows T with the iteration cap unless the reader sets one', () => {
    expect(maxIterOf(settingsFromParams(new URLSearchParams('T=37')))).toBe(defaultMaxIter(37));
    expect(maxIterOf(settingsFromParams(new URLSearchParams('T=37&maxIter=5')))).toBe(5);
  });

  it('offers only tasks of the one registry, labelled as the registry labels them', () => {
    for (const t of SITE_TASKS) expect(TASK_LABELS[t]).toBe(TASKS[t].label);
    expect(settingsFromParams(new URLSearchParams('task=__proto__')).task).toBe(DEFAULT_SETTINGS.task);
  });

  it('offers and accepts only tasks the grey 28x28 prior can run: a link naming colorize gets the default task', () => {
    for (const t of SITE_TASKS) expect(taskTakesChannels(t, 1)).toBe(true);
    expect(settingsFromParams(new URLSearchParams('task=colorize')).task).toBe(DEFAULT_SETTINGS.task);
    expect(settingsFromParams(new URLSearchParams('task=sr2')).task).toBe('sr2');
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

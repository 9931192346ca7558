import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BrowserBackend } from '../../src/lib/backend/backendSelect.js';
import { unetProbe } from '../../src/lib/site/worker/backendProbe.js';

/** A browser as a table: which backends initialise, what they are, and what the probe measures on each. */
function fakeBrowser(spec: Partial<Record<BrowserBackend, { fails?: string; software?: boolean; device?: string; ms?: number }>>) {
  let active: BrowserBackend | null = null;
  const deadlines: Partial<Record<BrowserBackend, number>> = {};
  const env = {
    async activate(name: BrowserBackend) {
      const b = spec[name];
      if (!b) throw new Error('not here');
      if (b.fails) throw new Error(b.fails);
      active = name;
    },
    describe: (name: BrowserBackend) => ({ device: spec[name]?.device, software: spec[name]?.software }),
  };
  const probe = async (deadlineMs: number) => {
    const b = spec[active!]!;
    deadlines[active!] = deadlineMs;
    const ms = b.ms ?? 0;
    if (ms > deadlineMs) throw new Error(`not finished after ${deadlineMs / 1000} s`);
    return ms;
  };
  return { env, probe, deadlines, active: () => active };
}

describe('choosing the browser backend by measurement', () => {
  it('a software WebGPU adapter (SwiftShader) loses to wasm, and the page learns both times', async () => {
    const f = fakeBrowser({
      webgpu: { software: true, device: 'google swiftshader', ms: 2400 },
      webgl: { fails: 'no context' },
      wasm: { ms: 40 },
      cpu: { ms: 900 },
    });
    const c = await selectBackend(undefined, { measure: true, probe: f.probe, env: f.env });
    expect(c.backend).toBe('wasm');
    expect(f.active()).toBe('wasm');
    expect(c.reasons).toEqual(['webgl: no context']);
    expect(c.timings).toEqual([
      { backend: 'wasm', ms: 40 },
      { backend: 'webgpu', ms: 2400, device: 'google swiftshader', software: true },
    ]);
    expect(f.deadlines).toEqual({ wasm: 20_000, webgpu: 3000 }); // software: max(3 s, 20 × the best so far)
  });

  it('a software adapter past its deadline is reported without a time', async () => {
    const f = fakeBrowser({ webgpu: { software: true, ms: 9000 }, wasm: { ms: 400 } });
    const c = await selectBackend(undefined, { measure: true, probe: f.probe, env: f.env });
    expect(c.backend).toBe('wasm');
    expect(c.timings[1]).toMatchObject({ backend: 'webgpu', ms: null, note: 'not finished after 8 s' });
  });

  it('a hardware GPU that measures faster wins; a software one wins only by measuring faster', async () => {
    let f = fakeBrowser({ webgpu: { ms: 4 }, webgl: { ms: 9 }, wasm: { ms: 40 } });
    expect((await selectBackend(undefined, { measure: true, probe: f.probe, env: f.env })).backend).toBe('webgpu');
    f = fakeBrowser({ webgpu: { software: true, ms: 30 }, wasm: { ms: 40 } });
    expect((await selectBackend(undefined, { measure: true, probe: f.probe, env: f.env })).backend).toBe('webgpu');
  });

  it('cpu only as the last resort; one working backend needs no measurement; a forced order takes the first that works', async () => {
    let f = fakeBrowser({ webgpu: { fails: 'x' }, wasm: { fails: 'y' }, cpu: { ms: 1 } });
    expect(await selectBackend(undefined, { measure: true, probe: f.probe, env: f.env })).toMatchObject({ backend: 'cpu', timings: [] });
    f = fakeBrowser({ wasm: { ms: 40 }, cpu: { ms: 1 } });
    expect(await selectBackend(undefined, { measure: true, probe: f.probe, env: f.env })).toMatchObject({ backend: 'wasm', timings: [] });
    f = fakeBrowser({ webgpu: { software: true, ms: 2400 }, wasm: { ms: 40 } });
    expect(await selectBackend(['webgpu', 'webgl', 'wasm', 'cpu'], { measure: false, probe: f.probe, env: f.env })).toMatchObject({
      backend: 'webgpu',
      timings: [],
    });
  });
});

describe('the backend probe (one UNet call on a batch of 4)', () => {
  it('times the call, frees its tensors, and gives up at the deadline', async () => {
    const before = tf.memory().numTensors;
    const ms = await unetProbe(1)(60_000);
    expect(ms).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    await expect(unetProbe(1)(1)).rejects.toThrow(/not finished after 0.0 s/);
    await new Promise((r) => setTimeout(r, 3000)); // the abandoned probe finishes and frees what it made
    expect(tf.memory().numTensors).toBe(before);
  }, 30_000);
});

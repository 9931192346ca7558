import { describe, expect, it } from 'vitest';
import { DeqirClient, type WorkerLike } from '../../src/lib/site/page/deqirClient.js';
import type { FromWorker, Job, ToWorker } from '../../src/lib/site/protocol.js';

/**
 * A stand-in for the DeqIR worker: 'toy' jobs answer after `request.ms` (checking for a cancel
 * every 10 ms unless `request.stuck`, like one long TF.js call), 'fault' jobs fail as the real
 * worker does. Every worker made is kept, so tests can see which were terminated.
 */
class FakeWorker implements WorkerLike {
  onmessage: ((ev: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  terminated = false;
  inits: ToWorker[] = [];
  private cancelled = new Set<number>();
  constructor(private initFails = false) {}
  private send(m: FromWorker) {
    setTimeout(() => !this.terminated && this.onmessage?.({ data: m } as MessageEvent<FromWorker>), 0);
  }
  terminate() {
    this.terminated = true;
  }
  postMessage(m: ToWorker) {
    if (this.terminated) return;
    if (m.type === 'init') {
      this.inits.push(m);
      if (this.initFails) return this.send({ type: 'error', id: m.id, name: 'BackendError', message: 'no backend', fatal: true });
      return this.send({
        type: 'ready',
        id: m.id,
        backend: m.order[0],
        reasons: [],
        timings: m.measure ? [{ backend: 'wasm', ms: 5 }] : [],
      });
    }
    if (m.type === 'memory') return this.send({ type: 'memory', id: m.id, memory: { numTensors: 1, numBytes: 4 } });
    if (m.type === 'cancel') return void this.cancelled.add(m.id);
    const job = m.job as Job & { request: { ms: number; stuck?: boolean; value: number } };
    if (job.kind === 'fault') {
      if ((job as { fault: string }).fault === 'fatal')
        return this.send({ type: 'error', id: m.id, name: 'Error', message: 'Aborted(OOM)', fatal: true });
      return setTimeout(() => !this.terminated && this.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent), 5) && undefined;
    }
    const t0 = Date.now();
    const tick = () => {
      if (this.terminated) return;
      if (!job.request.stuck && this.cancelled.has(m.id))
        return this.send({ type: 'error', id: m.id, name: 'AbortError', message: 'aborted' });
      if (Date.now() - t0 >= job.request.ms)
        return this.send({
          type: 'result',
          id: m.id,
          result: { value: job.request.value } as never,
          memory: { numTensors: 1, numBytes: 4 },
        });
      this.send({ type: 'progress', id: m.id, progress: { phase: 'serial', step: 1, of: 2 } });
      setTimeout(tick, 10);
    };
    tick();
  }
}

const options = (workers: FakeWorker[], initFails: (n: number) => boolean = () => false) => ({
  workerUrl: 'x',
  wasmPaths: {},
  priors: { fashion: { weights: 'u', images: 'i', labels: 'l' }, emoji: { weights: 'e', images: 'ei', labels: 'el' } },
  cancelGraceMs: 50,
  createWorker: () => {
    const w = new FakeWorker(initFails(workers.length));
    workers.push(w);
    return w;
  },
});
const toy = (ms: number, value = 1, stuck = false) => ({ kind: 'toy', request: { ms, value, stuck } }) as unknown as Job;

describe('the page client of the DeqIR worker', () => {
  it('measures the backend once and keeps it for a restarted worker', async () => {
    const workers: FakeWorker[] = [];
    const c = await DeqirClient.start(options(workers));
    expect(workers[0].inits[0]).toMatchObject({ measure: true, order: ['webgpu', 'webgl', 'wasm', 'cpu'] });
    expect(c.timings).toEqual([{ backend: 'wasm', ms: 5 }]);
    await expect(c.run({ kind: 'fault', fault: 'fatal' })).rejects.toMatchObject({ name: 'WorkerFailedError' });
    await c.whenReady();
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(workers[1].inits[0]).toMatchObject({ measure: false, order: ['webgpu', 'webgl', 'wasm', 'cpu'] });
    expect(c.timings).toEqual([{ backend: 'wasm', ms: 5 }]); // the measurement that chose the backend stays
    expect(c.restarts).toBe(1);
  });

  it('a choice measured on an earlier page is used without measuring, with its times', async () => {
    const workers: FakeWorker[] = [];
    const known = { backend: 'wasm' as const, timings: [{ backend: 'wasm' as const, ms: 7 }], reasons: ['webgpu: none'] };
    const c = await DeqirClient.start({ ...options(workers), known });
    expect(workers[0].inits[0]).toMatchObject({ measure: false, order: ['wasm', 'webgpu', 'webgl', 'cpu'] });
    expect(c).toMatchObject({ backend: 'wasm', timings: known.timings, reasons: known.reasons, measured: true });
  });

  it('a lost WebGPU device, reported between jobs, replaces the worker at once', async () => {
    const workers: FakeWorker[] = [];
    const c = await DeqirClient.start(options(workers));
    const events: string[] = [];
    c.on((e) => events.push(e.type));
    workers[0].onmessage?.({ data: { type: 'lost', id: 0, message: 'unknown: GPU hung' } } as MessageEvent<FromWorker>);
    expect(workers[0].terminated).toBe(true);
    expect((await c.run(toy(5, 9))).result).toEqual({ value: 9 });
    expect(events).toEqual(['restarting', 'restarted']);
  });

  it('a fatal error or an uncaught one replaces the worker, says so, and later runs work', async () => {
    const workers: FakeWorker[] = [];
    const c = await DeqirClient.start(options(workers));
    const events: string[] = [];
    c.on((e) => events.push(e.type));
    await expect(c.run({ kind: 'fault', fault: 'fatal' })).rejects.toThrow(/Aborted\(OOM\).*fresh worker/);
    expect((await c.run(toy(5, 7))).result).toEqual({ value: 7 });
    await expect(c.run({ kind: 'fault', fault: 'uncaught' })).rejects.toThrow(/uncaught error: boom.*fresh worker/);
    // A job queued behind the failing one runs on the fresh worker.
    const queued = c.run(toy(5, 8));
    expect((await queued).result).toEqual({ value: 8 });
    expect(workers).toHaveLength(3);
    expect(events).toEqual(['restarting', 'restarted', 'restarting', 'restarted']);
  });

  it('cancel rejects at once with an AbortError; a job that stops keeps its worker, one stuck in a step loses it', async () => {
    const workers: FakeWorker[] = [];
    const c = await DeqirClient.start(options(workers));
    const progress: number[] = [];
    let ctrl = new AbortController();
    let p = c.run(toy(10_000), { signal: ctrl.signal, onProgress: () => progress.push(Date.now()) });
    await new Promise((r) => setTimeout(r, 30));
    let t0 = performance.now();
    ctrl.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - t0).toBeLessThan(20);
    const seen = progress.length;
    expect((await c.run(toy(5, 2))).result).toEqual({ value: 2 });
    expect(progress.length).toBe(seen); // no progress after the cancel
    expect(workers).toHaveLength(1); // it stopped by itself within the grace period

    ctrl = new AbortController();
    p = c.run(toy(10_000, 1, true), { signal: ctrl.signal });
    await new Promise((r) => setTimeout(r, 30));
    t0 = performance.now();
    ctrl.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - t0).toBeLessThan(20);
    expect((await c.run(toy(5, 3))).result).toEqual({ value: 3 });
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
  });

  it('a cancelled job still in the queue never reaches the worker', async () => {
    const workers: FakeWorker[] = [];
    const c = await DeqirClient.start(options(workers));
    const first = c.run(toy(30, 1));
    const ctrl = new AbortController();
    const second = c.run(toy(5, 2), { signal: ctrl.signal });
    ctrl.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    expect((await first).result).toEqual({ value: 1 });
    expect(workers).toHaveLength(1);
  });

  it('a fresh worker that does not start fails what waits, and the next run tries again', async () => {
    const workers: FakeWorker[] = [];
    const c = await DeqirClient.start(options(workers, (n) => n === 1));
    const events: string[] = [];
    c.on((e) => events.push(e.type));
    await expect(c.run({ kind: 'fault', fault: 'fatal' })).rejects.toMatchObject({ name: 'WorkerFailedError' });
    await expect(c.run(toy(5))).rejects.toThrow(/fresh worker did not start/);
    expect(events).toEqual(['restarting', 'restart-failed']);
    expect((await c.run(toy(5, 4))).result).toEqual({ value: 4 });
    expect(workers).toHaveLength(3);
  });
});

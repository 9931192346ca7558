import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOLVERS } from '../../src/lib/site/jobSettings.js';
import { trainingStatus } from '../../src/lib/quality/trainingStatus.js';
import { buildSite } from '../site/buildSite.js';
import { launchChromium } from '../../src/lib/node/chromium.js';
import { serveStatic } from '../../src/lib/node/staticServer.js';

/**
 * The built site in headless Debian Chromium, WebGPU through SwiftShader (~0.5 GFLOP/s: every live
 * run uses tiny settings and the exact Gaussian prior). Without ?backend= the worker measures the
 * backends and keeps wasm over SwiftShader; the tests of the WebGPU path force it with
 * ?backend=webgpu. Served by a plain static server (no /x → /x.html rewriting), as any static
 * host would. Screenshots go to test-artifacts/.
 */
const OUT = 'test-artifacts/site-dist';
const SHOTS = 'test-artifacts/screenshots';
const PAGES = ['/', '/chain.html', '/solving.html', '/gradients.html', '/steering.html', '/bench.html', '/benchmarks.html', '/model.html'];
const TINY = 'T=5&maxIter=3&prior=gaussian';
const shotName = (path: string) => (path === '/' ? 'index' : path.replace(/^\//, '').replace(/\.html$/, ''));

let server: Awaited<ReturnType<typeof serveStatic>>;
let browser: Browser;

interface Opened {
  page: Page;
  errors: string[];
  external: string[];
  /** Requests that failed or answered 400 or more. */
  failed: string[];
}

/** Opens a page that records console errors, page errors, failed requests and any request that leaves the server. */
async function open(b: Browser, path: string, { base = server.url, width = 1280, height = 900 } = {}): Promise<Opened> {
  const context = await b.newContext({ viewport: { width, height } });
  const errors: string[] = [];
  const external: string[] = [];
  const failed: string[] = [];
  const origin = new URL(base).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker: ${m.text()}`)));
  page.on('requestfailed', (r) => !external.includes(r.url()) && failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.url()}: HTTP ${r.status()}`));
  await page.goto(base + path);
  return { page, errors, external, failed };
}

type DeqirWindow = {
  __deqir: {
    client(): Promise<{
      backend: string;
      timings: unknown[];
      restarts: number;
      memory(): Promise<{ numTensors: number }>;
      run(job: unknown): Promise<unknown>;
    }>;
  };
};

/**
 * Clicks Cancel and returns the milliseconds until the status line says "cancelled", measured in
 * the page (click to the status change) and from the test (the click sent to the text seen).
 */
async function cancelLatency(page: Page): Promise<{ inPage: number; outside: number }> {
  const t0 = Date.now();
  const inPage = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const status = document.querySelector('[data-role=status], [data-role=trajectory-status]')!;
        const start = performance.now();
        const done = () => /^cancelled/.test(status.textContent ?? '') && (obs.disconnect(), resolve(performance.now() - start));
        const obs = new MutationObserver(done);
        obs.observe(status, { childList: true, characterData: true, subtree: true });
        (document.querySelector('[data-role=cancel]:not([disabled])') as HTMLButtonElement).click();
        done();
      }),
  );
  return { inPage, outside: Date.now() - t0 };
}

const status = (page: Page) => page.locator('[data-role=status]');

/** The first final status the page shows; read in the same check, so a later run cannot change it. */
/** Scrolls the page's live figure (its status line) on screen, as a reader would: live work starts only there. */
async function showLiveFigure(page: Page): Promise<void> {
  await page.locator('[data-role=status]').first().scrollIntoViewIfNeeded();
}

async function waitDone(page: Page, timeout = 120_000): Promise<string> {
  await showLiveFigure(page);
  const handle = await page.waitForFunction(
    () => {
      const text = document.querySelector('[data-role=status]')?.textContent ?? '';
      return /^(done|error|cancelled|stopped)/.test(text) ? text : null;
    },
    null,
    { timeout },
  );
  return (await handle.jsonValue()) ?? '';
}

describe('the research site in headless Chromium', () => {
  beforeAll(async () => {
    await buildSite(OUT);
    await mkdir(SHOTS, { recursive: true });
    server = await serveStatic(OUT);
    browser = await launchChromium({ webgpu: true });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads every page without console errors or external requests', async () => {
    for (const path of PAGES) {
      const { page, errors, external } = await open(browser, path);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${SHOTS}/page-${shotName(path)}-1280.png`, fullPage: true });
      expect({ path, errors, external }).toEqual({ path, errors: [], external: [] });
      await page.context().close();
    }
  }, 120_000);

  it('shows the shipped model card: parameters, quality bar and sample grid', async () => {
    const card = JSON.parse(await readFile('models/fashion-unet-small.card.json', 'utf8'));
    const { page, errors } = await open(browser, '/model.html');
    await page.waitForSelector('table.deqir-card');
    // The grey card first, then the colour prior's.
    const colour = JSON.parse(await readFile('models/emoji-unet.card.json', 'utf8'));
    expect(await page.locator('tr[data-field=parameters]').nth(0).textContent()).toContain(card.params.toLocaleString('en-US'));
    expect(await page.locator('tr[data-field=parameters]').nth(1).textContent()).toContain(colour.params.toLocaleString('en-US'));
    // The colour section says how far its training is (steps of the run's target) and what its bar says.
    const t = trainingStatus(colour);
    const steps = t.steps.toLocaleString('en-US');
    const status = await page.locator('#the-colour-prior + p').textContent();
    expect(status).toContain(t.finished ? `after ${steps} steps` : `${steps} of ${t.targetSteps!.toLocaleString('en-US')} steps`);
    expect(status).toContain(
      t.bar === 'not measured' ? 'has not been measured'
      : t.bar === 'passes' ? 'they pass'
      : 'do not pass',
    );
    // One FD-cls row per measured card: the grey one's, then the colour one's once its bar is measured.
    const fdRows = page.locator('tr[data-key^="FD-cls, "]');
    const measured = [card, colour].filter((c) => c.quality?.fdCls);
    expect(await fdRows.count()).toBe(measured.length);
    for (const [i, c] of measured.entries()) {
      const bar = await fdRows.nth(i).textContent();
      expect(bar).toContain(c.quality.fdCls.model.toLocaleString('en-US', { maximumFractionDigits: 2 }));
      expect(bar).toContain(c.quality.fdCls.passes ? 'passes' : 'fails');
    }
    await page.waitForFunction(
      () => ((document.querySelector('img[alt^="grid of sampled"]') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0,
      null,
      { timeout: 10_000 },
    );
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('runs the overview demo on the webgpu backend (?backend=webgpu) and shows images and numbers', async () => {
    const { page, errors, external } = await open(browser, `/?${TINY}&backend=webgpu`);
    expect(await waitDone(page)).toMatch(/^done/);
    expect(await page.locator('[data-role=backend]').textContent()).toContain('backend in the worker: webgpu (forced by ?backend=webgpu');
    expect(await page.locator('[data-role=freshness]').getAttribute('data-state')).toBe('live');
    expect(await page.locator('[data-role=freshness]').textContent()).toContain('computed on this device (webgpu)');
    expect(await page.locator('.deqir-table-box:has(table.deqir-timing) .deqir-caption').textContent()).toContain(
      'compiles WebGPU shaders',
    );
    expect(await page.locator('[data-role=results] canvas').count()).toBe(5);
    const deqRow = await page.locator('tr[data-method^="DeqIR"]').textContent();
    // NFE counts the timesteps each call evaluated, 5 + 4 + 3 (final ones leave the batch); depth = iterations = 3.
    expect(deqRow).toMatch(/12\s*3\s*3/);
    expect(await page.locator('tr[data-method="serial chain"]').textContent()).toMatch(/5\s*5/);
    await page.screenshot({ path: `${SHOTS}/demo-webgpu.png`, fullPage: true });
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('cancels a long run and leaves the worker memory at its baseline after ten runs', async () => {
    const { page, errors } = await open(browser, `/?${TINY}`);
    await waitDone(page);
    const baseline = Number(await status(page).getAttribute('data-num-tensors'));
    for (let i = 0; i < 10; i++) {
      await page.click('[data-role=run]'); // sets the status to "waiting…" at once
      expect(await waitDone(page)).toMatch(/^done/);
    }
    const after = await page.evaluate(
      async () =>
        (
          await (
            await (window as unknown as { __deqir: { client(): Promise<{ memory(): Promise<{ numTensors: number }> }> } }).__deqir.client()
          ).memory()
        ).numTensors,
    );
    expect(after).toBe(baseline);
    // A long setting, cancelled while the chain runs: the UNet at T = 50 (the Gaussian prior's T = 50
    // chain ends in well under a second, too fast to be sure of catching it running).
    await page.selectOption('select[name=prior]', 'unet');
    expect(await waitDone(page)).toMatch(/^done/);
    await page.selectOption('select[name=task]', 'deblur');
    await page.$eval('input[name=T]', (el: HTMLInputElement) => {
      el.value = '50';
      el.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(
      () => /serial chain: step [2-9]/.test(document.querySelector('[data-role=status]')?.textContent ?? ''),
      null,
      { timeout: 60_000 },
    );
    const latency = await cancelLatency(page);
    console.log(`overview: cancel took ${latency.inPage.toFixed(1)} ms in the page, ${latency.outside} ms seen from the test`);
    expect(latency.outside).toBeLessThan(1000);
    expect(await waitDone(page, 30_000)).toBe('cancelled');
    expect(await page.locator('[data-role=freshness]').getAttribute('data-state')).toBe('stale');
    expect(page.url()).toContain('task=deblur');
    expect(page.url()).toContain('T=50');
    await page.waitForTimeout(1500);
    expect(await status(page).textContent()).toMatch(/^cancelled/); // no late progress line
    await page.screenshot({ path: `${SHOTS}/demo-cancelled.png`, fullPage: true });
    // The next run works: a short one.
    await page.$eval('input[name=T]', (el: HTMLInputElement) => {
      el.value = '3';
      el.dispatchEvent(new Event('change'));
    });
    expect(await waitDone(page)).toMatch(/^done/);
    expect(await page.locator('[data-role=freshness]').getAttribute('data-state')).toBe('live');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 240_000);

  it('converts an uploaded PNG with a notice and refuses a bad file with a clear message', async () => {
    const { page, errors } = await open(browser, `/?${TINY}`);
    const png = new PNG({ width: 40, height: 30 });
    png.data.fill(255);
    await page.setInputFiles('input[name=upload]', { name: 'white.png', mimeType: 'image/png', buffer: PNG.sync.write(png) });
    await expect.poll(() => page.locator('[data-role=notice]').textContent()).toContain('converted to 28×28 grayscale');
    expect(await waitDone(page)).toMatch(/^done/);
    await page.setInputFiles('input[name=upload]', { name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
    await expect.poll(() => page.locator('[data-role=notice]').textContent()).toContain('could not be decoded');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('inpaints a mask the reader draws, and keeps the mask in the URL', async () => {
    const { page, errors } = await open(browser, `/?${TINY}&task=inpaint-box`);
    expect(await waitDone(page)).toMatch(/^done/);
    const editor = page.locator('[data-role=mask-editor]');
    const box = (await editor.boundingBox())!;
    await page.mouse.move(box.x + 10, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 10, box.y + 30, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.url()).toMatch(/mask=[0-9a-f]{196}/);
    expect(await waitDone(page)).toMatch(/^done/);
    await page.screenshot({ path: `${SHOTS}/demo-inpainting-mask.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('recomputes the 2-D toy in a cpu worker when x_T is dragged', async () => {
    const { page, errors } = await open(browser, '/chain.html');
    const toy = page.locator('.deqir-toy svg');
    const before = await toy.locator('path').nth(2).getAttribute('d'); // axes are paths 0 and 1... then the serial path
    const handle = toy.locator('circle', { has: page.locator('title', { hasText: 'x_T' }) });
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x - 120, box.y - 80, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => toy.locator('path').nth(2).getAttribute('d'), { timeout: 30_000 }).not.toBe(before);
    await page.screenshot({ path: `${SHOTS}/toy-dragged.png`, fullPage: false });
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('solves again on this device when a setting changes on the chain and solving pages', async () => {
    const { page, errors } = await open(browser, '/solving.html?T=4&maxIter=4&prior=gaussian');
    expect(await waitDone(page)).toBe('done');
    expect(await page.locator('.deqir-solver-table tr').count()).toBe(2 + SOLVERS.length); // header, serial, every solver of the site's menu
    expect(await page.locator('.deqir-table-box:has(.deqir-solver-table) .deqir-caption').textContent()).toContain(
      'Computed on this device',
    );
    await page.screenshot({ path: `${SHOTS}/solving-live.png`, fullPage: true });
    await page.goto(`${server.url}/chain.html?prior=gaussian`);
    await page.waitForSelector('.deqir-trajectory-view input[name=T]');
    await page.locator('.deqir-trajectory-view').scrollIntoViewIfNeeded(); // live work starts only on screen
    await page.$eval('.deqir-trajectory-view input[name=T]', (el: HTMLInputElement) => {
      el.value = '4';
      el.dispatchEvent(new Event('change'));
    });
    await expect
      .poll(() => page.locator('[data-role=trajectory-status]').textContent(), { timeout: 60_000 })
      .toMatch(/^Computed on this device/);
    const cells = await page.locator('.deqir-trajectory-grid canvas').count(); // a serial row, then one row per iteration, T = 4 wide
    expect(cells % 4).toBe(0);
    expect(cells).toBeGreaterThanOrEqual(8);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('draws gradient heatmaps on webgpu, the three methods agree, and dragging a region recomputes them', async () => {
    const { page, errors, external } = await open(
      browser,
      '/gradients.html?T=3&maxIter=3&prior=gaussian&region=10,10,14,14&backend=webgpu',
    );
    expect(await waitDone(page)).toBe('done');
    expect(await page.locator('[data-role=gradient-figures] canvas').count()).toBe(5); // x0 (region picker), y, dL/dy, x_T, dL/dx_T
    const caption = (await page.locator('[data-role=gradient-figures] .deqir-caption').textContent()) ?? '';
    expect(caption).toContain('backend in the worker: webgpu');
    // Implicit gradients equal serial back-propagation (float32 on the GPU: to 1e-3 relative).
    const cells = await page.locator('tr[data-key=implicit] td').allTextContents();
    expect(Number(cells[5])).toBeLessThan(1e-3);
    expect(Number(cells[7])).toBeLessThan(1e-3);
    await page.screenshot({ path: `${SHOTS}/gradients-webgpu.png`, fullPage: true });
    const picker = page.locator('[data-role=region-picker]');
    const box = (await picker.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.3, { steps: 4 });
    await page.mouse.up();
    // The URL may hold the region with encoded or plain commas; wait for the dragged one.
    await expect.poll(() => decodeURIComponent(page.url())).toMatch(/region=5,5,1[12],[89]/);
    expect(await waitDone(page)).toBe('done');
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('steers the noise live on webgpu: loss and PSNR curves and one x0 per step', async () => {
    const { page, errors, external } = await open(
      browser,
      '/steering.html?T=3&maxIter=3&prior=gaussian&guide=oracle&steps=3&lr=0.1&backend=webgpu',
    );
    await page.click('[data-role=run]');
    expect(await waitDone(page)).toBe('done');
    expect(await page.locator('[data-role=steering-curves] svg').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-role=steering-frames] canvas').count()).toBe(4); // steps 0..3
    const summary = (await page.locator('[data-role=steering-summary]').textContent()) ?? '';
    expect(summary).toMatch(/^Done: step 3/);
    // Towards the truth, the loss falls.
    const [from, to] = summary
      .match(/loss ([\d.e+-]+) → ([\d.e+-]+)/)!
      .slice(1)
      .map(Number);
    expect(to).toBeLessThan(from);
    await page.screenshot({ path: `${SHOTS}/steering-webgpu.png`, fullPage: true });
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('falls back from webgpu when the browser has none, and says so', async () => {
    const plain = await launchChromium({ webgpu: false });
    try {
      const { page, errors, external } = await open(plain, `/?T=3&maxIter=2&prior=gaussian`);
      expect(await waitDone(page)).toMatch(/^done/);
      const line = (await page.locator('[data-role=backend]').textContent()) ?? '';
      expect(line).toMatch(/backend in the worker: (webgl|wasm|cpu)/);
      expect(line).toContain('Skipped webgpu: ');
      await page.screenshot({ path: `${SHOTS}/demo-fallback.png`, fullPage: true });
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
    } finally {
      await plain.close();
    }
  }, 120_000);
  it('chooses wasm over the SwiftShader WebGPU adapter by measurement, and says why', async () => {
    const { page, errors, external } = await open(browser, '/?T=3&maxIter=2&prior=gaussian');
    expect(await waitDone(page)).toMatch(/^done/);
    const line = (await page.locator('[data-role=backend]').textContent()) ?? '';
    console.log(`backend line: ${line}`);
    const c = await page.evaluate(async () => {
      const c = await (window as unknown as DeqirWindow).__deqir.client();
      return { backend: c.backend, timings: c.timings };
    });
    console.log(`measured: ${JSON.stringify(c.timings)}`);
    expect(c.backend).toBe('wasm');
    expect(line).toMatch(/backend in the worker: wasm, the fastest measured on this device for one DeqIR map at T = 4/);
    expect(line).toMatch(/wasm [\d.]+ (ms|s)/);
    expect(line).toMatch(/webgpu \(software adapter: SwiftShader\)/);
    expect(line).toContain('add ?backend=webgpu');
    // No shader-compilation note on wasm.
    expect(await page.locator('.deqir-table-box:has(table.deqir-timing) .deqir-caption').textContent()).not.toContain('shaders');
    // Another page of the same session reuses the measurement instead of timing the backends again.
    await page.goto(`${server.url}/solving.html?T=4&maxIter=4&prior=gaussian`);
    expect(await waitDone(page)).toBe('done');
    const caption = (await page.locator('.deqir-table-box:has(.deqir-solver-table) .deqir-caption').textContent()) ?? '';
    expect(caption).toMatch(/backend in the worker: wasm, the fastest measured on this device \(earlier in this browser session\)/);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('replaces a failed worker, says so, and the next run works without a reload', async () => {
    const { page, errors } = await open(browser, '/?T=3&maxIter=2&prior=gaussian');
    expect(await waitDone(page)).toMatch(/^done/);
    // A page run in flight when the worker dies (as the browser reports it: the worker's onerror).
    await page.selectOption('select[name=task]', 'deblur');
    await page.$eval('input[name=T]', (el: HTMLInputElement) => {
      el.value = '50';
      el.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(
      () => /serial chain: step [2-9]/.test(document.querySelector('[data-role=status]')?.textContent ?? ''),
      null,
      { timeout: 60_000 },
    );
    await page.evaluate(async () => {
      const c = (await (window as unknown as DeqirWindow).__deqir.client()) as unknown as { worker: { onerror(ev: unknown): void } };
      c.worker.onerror({ message: 'a simulated crash', preventDefault() {} });
    });
    await expect
      .poll(() => status(page).textContent(), { timeout: 30_000 })
      .toMatch(
        /^error: the worker stopped with an uncaught error: a simulated crash; a fresh worker is starting.*A fresh worker is ready \(wasm\): run again\./,
      );
    expect(await page.locator('[data-role=freshness]').getAttribute('data-state')).toBe('stale');
    await page.screenshot({ path: `${SHOTS}/demo-worker-replaced.png`, fullPage: true });
    // The worker's own fatal errors (a wasm abort) take the same path.
    const fatal = await page.evaluate(async () => {
      const c = await (window as unknown as DeqirWindow).__deqir.client();
      return c.run({ kind: 'fault', fault: 'fatal' }).then(
        () => 'resolved',
        (e: Error) => `${e.name}: ${e.message}`,
      );
    });
    expect(fatal).toMatch(/^WorkerFailedError: Aborted\(a simulated wasm abort\).*fresh worker/);
    await page.$eval('input[name=T]', (el: HTMLInputElement) => {
      el.value = '3';
      el.dispatchEvent(new Event('change'));
    });
    expect(await waitDone(page)).toMatch(/^done/);
    expect(await page.locator('[data-role=freshness]').getAttribute('data-state')).toBe('live');
    const restarts = await page.evaluate(async () => (await (window as unknown as DeqirWindow).__deqir.client()).restarts);
    expect(restarts).toBe(2);
    expect(await page.locator('[data-role=backend]').textContent()).toContain('The worker was replaced 2 times');
    // The simulated crash is reported by the page on purpose; nothing else may be.
    expect(errors.filter((e) => !/simulated/.test(e))).toEqual([]);
    await page.context().close();
  }, 240_000);

  it('refuses phantom k = T = 20 (tau = 1) on the UNet with the reason, and the next gradients run works', async () => {
    const { page, errors } = await open(browser, '/gradients.html?T=20&pk=20&ptau=1&prior=unet');
    const first = await waitDone(page, 180_000);
    console.log(`gradients at T = 20, k = 20: ${first}`);
    expect(first).toMatch(/^(error: .*(estimated|budget).*phantom steps K or T|done)/);
    expect(first).not.toMatch(/chunkSize|--[a-z]/);
    expect(await page.locator('[data-role=freshness]').getAttribute('data-state')).toBe(first.startsWith('done') ? 'live' : 'stale');
    await page.screenshot({ path: `${SHOTS}/gradients-refused.png`, fullPage: true });
    // Refused before it allocated: the same worker carries on.
    expect(await page.evaluate(async () => (await (window as unknown as DeqirWindow).__deqir.client()).restarts)).toBe(0);
    await page.$eval('input[name="phantom steps K"]', (el: HTMLInputElement) => {
      el.value = '1';
      el.dispatchEvent(new Event('change'));
    });
    await page.$eval('input[name=T]', (el: HTMLInputElement) => {
      el.value = '3';
      el.dispatchEvent(new Event('change'));
    });
    expect(await waitDone(page, 180_000)).toBe('done');
    expect(await page.locator('[data-role=freshness]').getAttribute('data-state')).toBe('live');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 420_000);

  it('Cancel takes effect within 1 s on every live page', async () => {
    // Each opens with settings that start a long run at once (or after one click).
    const cases: { path: string; click?: string; running: RegExp }[] = [
      { path: '/solving.html?T=30&maxIter=60&prior=unet', running: /iteration|serial/ },
      { path: '/gradients.html?T=12&pk=3&prior=unet', running: /gradient/ },
      { path: '/steering.html?T=12&steps=40&prior=unet', click: '[data-role=run]', running: /step \d+ of/ },
      { path: '/bench.html?T=20,50&prior=unet&auto=1', running: /map \d/ },
    ];
    const latencies: string[] = [];
    for (const { path, click, running } of cases) {
      const { page, errors } = await open(browser, path);
      if (click) await page.click(click);
      await showLiveFigure(page);
      await page.waitForFunction(
        (re) => new RegExp(re).test(document.querySelector('[data-role=status]')?.textContent ?? ''),
        running.source,
        { timeout: 120_000 },
      );
      await page.waitForTimeout(1000); // into the work
      const latency = await cancelLatency(page);
      latencies.push(`${path}: ${latency.inPage.toFixed(1)} ms in the page, ${latency.outside} ms from the test`);
      expect(latency.outside).toBeLessThan(1000);
      const t0 = Date.now();
      await page.evaluate(async () => (await (window as unknown as DeqirWindow).__deqir.client()).memory());
      latencies.push(`  the worker answers again after ${Date.now() - t0} ms`);
      await page.waitForTimeout(1500);
      expect(await status(page).textContent()).toMatch(/^cancelled/);
      expect(await page.locator('[data-role=freshness]').getAttribute('data-state')).toBe('stale');
      if (path.startsWith('/steering')) expect(await page.locator('[data-role=steering-summary]').textContent()).not.toMatch(/^Running/);
      await page.screenshot({ path: `${SHOTS}/cancelled-${shotName(path.split('?')[0])}.png`, fullPage: true });
      expect(errors).toEqual([]);
      await page.context().close();
    }
    console.log(latencies.join('\n'));
  }, 600_000);

  it('works from a plain static file server under a sub-path: every page and link, no errors, nothing external', async () => {
    // GitHub Pages' Jekyll step drops _-prefixed folders unless dist/ says not to.
    expect(existsSync(`${OUT}/.nojekyll`)).toBe(true);
    const sub = await serveStatic(OUT, { base: '/some/sub/path/' });
    try {
      const seen = new Set<string>();
      for (const path of PAGES) {
        const { page, errors, external, failed } = await open(browser, path, { base: sub.url });
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(300);
        expect({ path, title: await page.title() }).not.toEqual({ path, title: '' });
        const links = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
        for (const href of links) {
          const url = new URL(href);
          if (url.origin !== new URL(sub.url).origin) continue;
          const target = url.origin + url.pathname;
          if (seen.has(target)) continue;
          seen.add(target);
          const r = await page.context().request.get(target);
          expect({ href, status: r.status() }).toEqual({ href, status: 200 });
        }
        expect({ path, errors, external, failed }).toEqual({ path, errors: [], external: [], failed: [] });
        await page.context().close();
      }
      expect(sub.requests.filter((r) => !r.startsWith('/some/sub/path/'))).toEqual([]);
      console.log(`sub-path: ${seen.size} distinct internal links checked`);
    } finally {
      await sub.close();
    }
  }, 180_000);

  it('colour prior: picked on the overview, fetched only then, colorizes live (channels differ), credits the emoji, fits a phone', async () => {
    /** Mean over pixels of the largest channel difference of a canvas, 0..255 (0 = grey). */
    const chroma = (page: Page, selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((c: HTMLCanvasElement) => {
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let s = 0;
          for (let i = 0; i < d.length; i += 4) s += Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]);
          return s / (d.length / 4);
        });
    const { page, errors, external } = await open(browser, '/?T=5&maxIter=3&backend=wasm');
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.waitForLoadState('networkidle');
    expect(requested.filter((u) => /emoji/.test(u))).toEqual([]); // the grey first view costs nothing extra
    await page.locator('select[name=dataset]').first().selectOption('emoji');
    expect(await page.locator('select[name=task]').first().inputValue()).toBe('colorize');
    expect(page.url()).toContain('dataset=emoji');
    expect(await waitDone(page, 240_000)).toMatch(/^done/);
    expect(requested.some((u) => /emoji-unet\.[0-9a-f]+\.safetensors/.test(u))).toBe(true);
    expect(await page.locator('.deqir-table-box:has(table.deqir-timing) .deqir-caption').textContent()).toContain(
      'models/emoji-unet.safetensors',
    );
    const deq = '[data-role=results] figure[data-image=deq] canvas';
    expect(
      await page
        .locator(deq)
        .first()
        .evaluate((c: HTMLCanvasElement) => [c.width, c.height]),
    ).toEqual([32, 32]);
    expect(await chroma(page, deq)).toBeGreaterThan(2);
    expect(await chroma(page, '[data-role=results] figure[data-image=y] canvas')).toBe(0); // the measurement is grey
    expect(await page.locator('[data-role=attribution]').first().textContent()).toMatch(/Twemoji.*CC BY 4\.0.*Noto Emoji.*Apache/);
    // The colorization demo: precomputed rows first, then a live run of the same job.
    expect(await page.locator('[data-role=colorize-results] [data-emoji]').count()).toBeGreaterThan(0);
    await page.locator('[data-role=colorize-run]').scrollIntoViewIfNeeded();
    await page.locator('[data-role=colorize-run]').click();
    await page.waitForFunction(() => /^(done|error)/.test(document.querySelector('[data-role=colorize-status]')?.textContent ?? ''), null, {
      timeout: 240_000,
    });
    expect(await page.locator('[data-role=colorize-status]').textContent()).toMatch(/^done/);
    expect(await chroma(page, '[data-role=colorize-results] figure[data-image=deq] canvas')).toBeGreaterThan(2);
    await page.screenshot({ path: `${SHOTS}/colour-live-index-1280.png`, fullPage: true });
    // A colour upload: 32x32 RGB on the training grey, never inverted, and the notice says so.
    const png = new PNG({ width: 20, height: 10 });
    for (let i = 0; i < 200; i++) png.data.set(i % 2 ? [255, 255, 255, 0] : [0, 0, 255, 255], 4 * i);
    await page.setInputFiles('input[name=upload]', { name: 'blue.png', mimeType: 'image/png', buffer: PNG.sync.write(png) });
    await expect
      .poll(() => page.locator('[data-role=notice]').textContent())
      .toMatch(/20×10 image was scaled to 32×32 RGB \(fitted whole, centred\).*mid-grey background \(128, 128, 128\)/);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.context().close();
    // Phone width with the colour prior picked, on the overview and a second restoring page.
    for (const path of ['/?dataset=emoji&T=5&maxIter=3&prior=gaussian', '/solving.html?dataset=emoji&T=4&maxIter=4&prior=gaussian']) {
      for (const width of [390, 1280]) {
        const o = await open(browser, path, { width, height: 844 });
        expect(await waitDone(o.page, 240_000)).toMatch(/^done/);
        if (width === 390) expect(await o.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await o.page.screenshot({ path: `${SHOTS}/colour-${shotName(path.split('?')[0])}-${width}.png`, fullPage: true });
        expect(o.errors).toEqual([]);
        await o.page.context().close();
      }
    }
  }, 900_000);

  it('fits a 390 px wide phone screen: no page is wider than the viewport', async () => {
    const wide: string[] = [];
    for (const path of PAGES) {
      const { page, errors } = await open(browser, path, { width: 390, height: 844 });
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) {
        const culprits = await page.evaluate(() =>
          [...document.querySelectorAll('main *')]
            .filter((e) => e.getBoundingClientRect().right > 391)
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`),
        );
        wide.push(`${path}: ${width} px (${culprits.join(', ')})`);
      }
      await page.screenshot({ path: `${SHOTS}/page-${shotName(path)}-390.png`, fullPage: true });
      expect(errors).toEqual([]);
      await page.context().close();
    }
    expect(wide).toEqual([]);
  }, 180_000);
});

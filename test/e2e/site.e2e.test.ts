import { mkdir, readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../site/buildSite.js';
import { launchChromium } from './chromium.js';
import { serveStatic } from './staticServer.js';

/**
 * The built site in headless Debian Chromium, WebGPU through SwiftShader (~0.5 GFLOP/s: every live
 * run uses tiny settings and the exact Gaussian prior). Screenshots go to test-artifacts/.
 */
const OUT = 'test-artifacts/site-dist';
const SHOTS = 'test-artifacts/screenshots';
const PAGES = ['/', '/chain', '/solving', '/gradients', '/steering', '/bench', '/benchmarks', '/model'];
const TINY = 'T=5&maxIter=3&prior=gaussian';

let server: Awaited<ReturnType<typeof serveStatic>>;
let browser: Browser;

/** Opens a page that records console errors, page errors and any request that leaves 127.0.0.1. */
async function open(b: Browser, path: string): Promise<{ page: Page; errors: string[]; external: string[] }> {
  const context = await b.newContext({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const external: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker: ${m.text()}`)));
  await page.goto(server.url + path);
  return { page, errors, external };
}

const status = (page: Page) => page.locator('[data-role=status]');

/** The first final status the page shows; read in the same check, so a later run cannot change it. */
async function waitDone(page: Page, timeout = 120_000): Promise<string> {
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
      await page.screenshot({ path: `${SHOTS}/page${path === '/' ? '-index' : path.replace('/', '-')}.png`, fullPage: true });
      expect({ path, errors, external }).toEqual({ path, errors: [], external: [] });
      await page.context().close();
    }
  }, 120_000);

  it('shows the shipped model card: parameters, quality bar and sample grid', async () => {
    const card = JSON.parse(await readFile('models/fashion-unet-small.card.json', 'utf8'));
    const { page, errors } = await open(browser, '/model');
    await page.waitForSelector('table.deqir-card');
    expect(await page.locator('tr[data-field=parameters]').textContent()).toContain(card.params.toLocaleString('en-US'));
    const bar = await page.locator('tr[data-key^="FD-cls (model"]').textContent();
    expect(bar).toContain(card.quality.fdCls.model.toLocaleString('en-US', { maximumFractionDigits: 2 }));
    expect(bar).toContain(card.quality.fdCls.passes ? 'passes' : 'fails');
    await page.waitForFunction(() => ((document.querySelector('img[alt^="grid of sampled"]') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0, null, { timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('runs the overview demo on the webgpu backend and shows images and numbers', async () => {
    const { page, errors, external } = await open(browser, `/?${TINY}`);
    expect(await waitDone(page)).toMatch(/^done/);
    expect(await page.locator('[data-role=backend]').textContent()).toContain('backend in the worker: webgpu');
    expect(await page.locator('[data-role=source]').textContent()).toContain('computed on this device (webgpu)');
    expect(await page.locator('[data-role=results] canvas').count()).toBe(5);
    const deqRow = await page.locator('tr[data-method^="DeqIR"]').textContent();
    expect(deqRow).toMatch(/15\s*3\s*3/); // NFE = T * iterations, depth = iterations = 3
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
    const after = await page.evaluate(async () => (await (await (window as unknown as { __deqir: { client(): Promise<{ memory(): Promise<{ numTensors: number }> }> } }).__deqir.client()).memory()).numTensors);
    expect(after).toBe(baseline);
    // A long setting, cancelled while the chain runs.
    await page.selectOption('select[name=task]', 'deblur');
    await page.$eval('input[name=T]', (el: HTMLInputElement) => {
      el.value = '50';
      el.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => /serial chain: step [2-9]/.test(document.querySelector('[data-role=status]')?.textContent ?? ''), null, { timeout: 60_000 });
    await page.click('[data-role=cancel]');
    expect(await waitDone(page, 30_000)).toBe('cancelled');
    expect(page.url()).toContain('task=deblur');
    expect(page.url()).toContain('T=50');
    await page.screenshot({ path: `${SHOTS}/demo-cancelled.png`, fullPage: true });
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
    const { page, errors } = await open(browser, '/chain');
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
    const { page, errors } = await open(browser, '/solving?T=4&maxIter=4&prior=gaussian');
    expect(await waitDone(page)).toBe('done');
    expect(await page.locator('.deqir-solver-table tr').count()).toBe(5); // header, serial, three solvers
    expect(await page.locator('.deqir-solver-table caption').textContent()).toContain('Computed on this device');
    await page.screenshot({ path: `${SHOTS}/solving-live.png`, fullPage: true });
    await page.goto(`${server.url}/chain?prior=gaussian`);
    await page.waitForSelector('.deqir-trajectory-view input[name=T]');
    await page.locator('.deqir-trajectory-view').scrollIntoViewIfNeeded(); // live work starts only on screen
    await page.$eval('.deqir-trajectory-view input[name=T]', (el: HTMLInputElement) => {
      el.value = '4';
      el.dispatchEvent(new Event('change'));
    });
    await expect.poll(() => page.locator('[data-role=trajectory-status]').textContent(), { timeout: 60_000 }).toMatch(/^Computed on this device/);
    const cells = await page.locator('.deqir-trajectory-grid canvas').count(); // a serial row, then one row per iteration, T = 4 wide
    expect(cells % 4).toBe(0);
    expect(cells).toBeGreaterThanOrEqual(8);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('draws gradient heatmaps on webgpu, the three methods agree, and dragging a region recomputes them', async () => {
    const { page, errors, external } = await open(browser, '/gradients?T=3&maxIter=3&prior=gaussian&region=10,10,14,14');
    expect(await waitDone(page)).toBe('done');
    expect(await page.locator('[data-role=gradient-figures] canvas').count()).toBe(5); // x0 (region picker), y, dL/dy, x_T, dL/dx_T
    const caption = (await page.locator('[data-role=gradient-figures] caption').textContent()) ?? '';
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
    const { page, errors, external } = await open(browser, '/steering?T=3&maxIter=3&prior=gaussian&guide=oracle&steps=3&lr=0.1');
    await page.click('[data-role=run]');
    expect(await waitDone(page)).toBe('done');
    expect(await page.locator('[data-role=steering-curves] svg').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-role=steering-frames] canvas').count()).toBe(4); // steps 0..3
    const summary = (await page.locator('[data-role=steering-summary]').textContent()) ?? '';
    expect(summary).toMatch(/^Done: step 3/);
    // Towards the truth, the loss falls.
    const [from, to] = summary.match(/loss ([\d.e+-]+) → ([\d.e+-]+)/)!.slice(1).map(Number);
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
      expect(line).toContain('skipped webgpu:');
      await page.screenshot({ path: `${SHOTS}/demo-fallback.png`, fullPage: true });
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
    } finally {
      await plain.close();
    }
  }, 120_000);
});

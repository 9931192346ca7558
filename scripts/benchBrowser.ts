/**
 * Per-iteration wall time of the DeqIR map and of one serial step, side by side: Node (wasm), and
 * headless Chromium (webgpu through SwiftShader, and wasm) running the site's own worker on the
 * "Speed on this device" page. Needs a built site (npm run build). Usage:
 *   npx tsx scripts/benchBrowser.ts [--T 20,50] [--prior auto|gaussian] [--reps 2,3] [--whole 3] [--only node,webgpu,wasm]
 * and the whole restoration as a user runs it (the serial chain and the default solve at its own
 * stop, alternately, --whole times after a warm-up). Writes test-artifacts/bench-browser.json and prints two tables.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { speedStep, type StepTiming } from '../src/lib/site/jobs/speedStep.js';
import { loaderContext } from '../src/lib/node/loaderContext.js';
import { launchChromium } from '../src/lib/node/chromium.js';
import { serveStatic } from '../src/lib/node/staticServer.js';

const { values } = parseArgs({
  options: {
    T: { type: 'string', default: '20,50' },
    prior: { type: 'string', default: 'auto' },
    reps: { type: 'string', default: '2,3' },
    whole: { type: 'string', default: '3' },
    only: { type: 'string', default: 'node,webgpu,wasm' },
    site: { type: 'string', default: 'dist' },
  },
});
const Ts = values.T.split(',').map(Number);
const [mapReps, stepReps] = values.reps.split(',').map(Number);
const whole = Number(values.whole);
const only = new Set(values.only.split(','));
const rows: { where: string; backend: string; timings: StepTiming[]; note: string }[] = [];

if (only.has('node')) {
  const ctx = await loaderContext(values.prior as 'auto' | 'gaussian');
  const timings: StepTiming[] = [];
  for (const T of Ts) timings.push(await speedStep(ctx.prior.model, T, ctx.images(0), { map: mapReps, step: stepReps, whole }));
  rows.push({ where: 'Node', backend: ctx.backend, timings, note: `${ctx.measuredOn}; ${ctx.prior.note}` });
  ctx.prior.model.dispose?.();
}

for (const backend of ['webgpu', 'wasm'].filter((b) => only.has(b))) {
  const server = await serveStatic(values.site);
  const browser = await launchChromium({ webgpu: backend === 'webgpu' });
  try {
    const page = await browser.newPage();
    await page.goto(
      `${server.url}/bench.html?auto=1&backend=${backend}&prior=${values.prior}&T=${Ts.join(',')}&reps=${mapReps},${stepReps},${whole}`,
    );
    await page.waitForFunction(() => /^(done|error)/.test(document.querySelector('[data-role=status]')?.textContent ?? ''), null, {
      timeout: 1_800_000,
    });
    const status = await page.locator('[data-role=status]').textContent();
    if (!status?.startsWith('done')) throw new Error(`Chromium ${backend}: ${status}`);
    const r = JSON.parse((await page.locator('[data-role=bench-json]').textContent()) ?? '{}');
    if (r.backend !== backend) throw new Error(`asked for ${backend}, the worker ran ${r.backend} (${r.reasons.join('; ')})`);
    rows.push({ where: 'Chromium (headless)', backend: r.backend, timings: r.timings, note: `${r.userAgent}; ${r.prior}` });
  } finally {
    await browser.close();
    await server.close();
  }
}

await mkdir('test-artifacts', { recursive: true });
await writeFile('test-artifacts/bench-browser.json', JSON.stringify({ date: new Date().toISOString(), mapReps, stepReps, rows }, null, 2));
console.log('| where | backend | T | one DeqIR map (ms) | one serial step (ms) | map / step |');
console.log('|---|---|---|---|---|---|');
for (const r of rows)
  for (const t of r.timings)
    console.log(
      `| ${r.where} | ${r.backend} | ${t.T} | ${t.mapMs.toFixed(1)} | ${t.stepMs.toFixed(1)} | ${(t.mapMs / t.stepMs).toFixed(1)} |`,
    );
console.log(
  '\n| where | backend | T | serial chain (ms) | DeqIR default at its own stop (ms) | DeqIR / serial | calls in a row | NFE | repeats |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows)
  for (const t of r.timings)
    if (t.defaultRun)
      console.log(
        `| ${r.where} | ${r.backend} | ${t.T} | ${t.defaultRun.serialMs.toFixed(0)} | ${t.defaultRun.deqMs.toFixed(0)} | ${(t.defaultRun.deqMs / t.defaultRun.serialMs).toFixed(2)} (${Math.min(...t.defaultRun.deqSamples.map((d, i) => d / t.defaultRun!.serialSamples[i])).toFixed(2)}–${Math.max(...t.defaultRun.deqSamples.map((d, i) => d / t.defaultRun!.serialSamples[i])).toFixed(2)}) | ${t.defaultRun.depth} | ${t.defaultRun.nfe} | ${t.defaultRun.deqSamples.length} |`,
      );
for (const r of rows) console.log(`- ${r.where} ${r.backend}: ${r.note}`);

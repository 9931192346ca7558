// Per-iteration wall time of the DeqIR map and of one serial step, measured in Node on the wasm
// backend at build time, for comparison with the reader's device (T = 10 keeps the build fast;
// scripts/benchBrowser.ts measures T = 20 and 50 in Node and headless Chromium).
import { speedStep } from '../../lib/site/worker/jobs/speedStep.js';
import { loaderContext } from '../../lib/node/loaderContext.js';

const ctx = await loaderContext('auto');
const timings = [await speedStep(ctx.prior.model, 10, ctx.images(0), { map: 2, step: 3 })];
process.stdout.write(JSON.stringify({ prior: ctx.prior.note, measuredOn: ctx.measuredOn, timings }));

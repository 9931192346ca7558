// Per-iteration wall time of the DeqIR map and of one serial step (timed alternately), and the whole
// restoration (the serial chain and the default solve at its own stop, alternately), measured in
// Node on the wasm backend at build time, for comparison with the reader's device, at the page's
// default Ts (10 and 20; scripts/benchBrowser.ts measures T = 20 and 50 in Node and headless Chromium).
import { speedStep } from '../../lib/site/jobs/speedStep.js';
import { loaderContext } from '../../lib/node/loaderContext.js';

const ctx = await loaderContext('auto');
const reps = { map: 5, step: 5, whole: 2 };
const timings = [];
for (const T of [10, 20]) timings.push(await speedStep(ctx.prior.model, T, ctx.images(0), reps));
process.stdout.write(JSON.stringify({ prior: ctx.prior.note, measuredOn: ctx.measuredOn, reps, timings }));

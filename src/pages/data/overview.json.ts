// The overview's precomputed result: the default demo settings restored by the same library in
// Node on the wasm backend at build time (the page shows it at once, before any live compute).
import { runDemo } from '../../lib/site/jobs/demo.js';
import { DEFAULT_SETTINGS } from '../../lib/site/jobSettings.js';
import { loaderContext } from '../../lib/node/loaderContext.js';

const ctx = await loaderContext('auto');
const result = await runDemo(ctx.prior.model, DEFAULT_SETTINGS, ctx.images(DEFAULT_SETTINGS.image));
process.stdout.write(JSON.stringify({ settings: { ...DEFAULT_SETTINGS, mask: null }, prior: ctx.prior.note, measuredOn: ctx.measuredOn, result }));

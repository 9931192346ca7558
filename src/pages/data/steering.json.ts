// The Steering page's first view: initialization optimization on SR x4 at T = 10, 10 Adam steps with
// the reference's phantom gradient, once towards A+y and once towards the ground truth (the oracle).
// Node, wasm, build time.
import { DEFAULT_SETTINGS } from '../../lib/site/jobSettings.js';
import type { SteeringRequest } from '../../lib/site/gradientSettings.js';
import { loaderContext } from '../../lib/node/loaderContext.js';
import { runSteering } from '../../lib/site/jobs/steering.js';

const settings = { ...DEFAULT_SETTINGS, T: 10 };
const ctx = await loaderContext('auto');
const results: Record<string, unknown> = {};
for (const guide of ['apy', 'oracle'] as const) {
  const request: SteeringRequest = { guide, lr: 0.05, steps: 10, method: 'phantom' };
  results[guide] = await runSteering(ctx.prior.model, settings, ctx.images(settings.image), request);
}
process.stdout.write(JSON.stringify({ settings: { ...settings, mask: null }, prior: ctx.prior.note, measuredOn: ctx.measuredOn, results }));

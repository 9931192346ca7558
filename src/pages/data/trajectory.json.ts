// The trajectory grid's first view: Picard and Anderson on the overview problem at T = 8, every
// iterate kept (Node, wasm, build time).
import { DEFAULT_SETTINGS } from '../../lib/site/jobSettings.js';
import { loaderContext } from '../../lib/node/loaderContext.js';
import { runTrajectory } from '../../lib/site/jobs/trajectory.js';

export const SETTINGS = { ...DEFAULT_SETTINGS, T: 8, tol: 1e-4 };
const ctx = await loaderContext('auto');
const grid = await runTrajectory(ctx.prior.model, SETTINGS, ctx.images(SETTINGS.image), ['picard', 'anderson']);
process.stdout.write(JSON.stringify({ settings: { ...SETTINGS, mask: null }, prior: ctx.prior.note, measuredOn: ctx.measuredOn, grid }));

// The solver comparison's first view: every solver on the overview problem at T = 10, residual
// histories and wall times (Node, wasm, build time).
import { DEFAULT_SETTINGS, SOLVERS } from '../../lib/site/jobSettings.js';
import { loaderContext } from '../../lib/node/loaderContext.js';
import { runSolvers } from '../../lib/site/jobs/solvers.js';

const settings = { ...DEFAULT_SETTINGS, T: 10, maxIter: 15 };
const ctx = await loaderContext('auto');
const comparison = await runSolvers(ctx.prior.model, settings, ctx.images(settings.image), [...SOLVERS]);
process.stdout.write(JSON.stringify({ settings: { ...settings, mask: null }, prior: ctx.prior.note, measuredOn: ctx.measuredOn, comparison }));

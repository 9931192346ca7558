// The Gradients page's first view: d(mean of x0 over a region)/dy and /dx_T by implicit, phantom
// (the reference's k = 1, tau = 0.1) and serial back-propagation, SR x4 at T = 10 (Node, wasm, build time).
import { DEFAULT_SETTINGS } from '../../lib/site/jobSettings.js';
import { runGradients } from '../../lib/site/jobs/gradients.js';
import { rectRegion } from '../../lib/site/gradientSettings.js';
import { loaderContext } from '../../lib/node/loaderContext.js';

const settings = { ...DEFAULT_SETTINGS, T: 10 };
// Not aligned to SR's 4x4 blocks: a region made of whole blocks has a mean fixed by y alone (dL/dx_T = 0).
const rect = { x0: 13, y0: 13, x1: 16, y1: 16 };
const request = { region: rectRegion(28, 28, rect), methods: ['implicit', 'phantom', 'serial'] as const, phantomSteps: 1, phantomTau: 0.1 };
const ctx = await loaderContext('auto');
const result = await runGradients(ctx.prior.model, settings, ctx.images(settings.image), { ...request, methods: [...request.methods] });
process.stdout.write(JSON.stringify({ settings: { ...settings, mask: null }, rect, request: { phantomSteps: 1, phantomTau: 0.1 }, prior: ctx.prior.note, measuredOn: ctx.measuredOn, result }));

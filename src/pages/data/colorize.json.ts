// The overview's colorization demo, precomputed: the colour emoji prior colorizes a few grey emoji
// with the same job (runDemo) and settings the page's live run sends to the worker, in Node on the
// wasm backend at build time. Small: 8-bit images as base64 (src/lib/site/colorizeDemo.ts).
import { runDemo } from '../../lib/site/jobs/demo.js';
import { COLORIZE_SETTINGS, colorizeImages, colorizeRow } from '../../lib/site/colorizeDemo.js';
import { SITE_PRIORS } from '../../lib/site/sitePriors.js';
import { trainingStatus } from '../../lib/quality/trainingStatus.js';
import { loaderContext } from '../../lib/node/loaderContext.js';
import { readFileSync } from 'node:fs';

const ctx = await loaderContext(COLORIZE_SETTINGS.prior, 'emoji');
const rows = [];
for (const i of colorizeImages(ctx.set)) {
  const r = await runDemo(ctx.prior.model, { ...COLORIZE_SETTINGS, image: i }, ctx.images(i));
  rows.push(colorizeRow(i, SITE_PRIORS.emoji.subset.classNames[ctx.set.labels[i]], r));
}
// How far the weights are trained and whether they pass their bar, for the page's caveat.
const card = JSON.parse(readFileSync(new URL(`../../../models/${SITE_PRIORS.emoji.card}`, import.meta.url), 'utf8'));
const training = trainingStatus(card);
process.stdout.write(JSON.stringify({ settings: { ...COLORIZE_SETTINGS, mask: null }, prior: ctx.prior.note, measuredOn: ctx.measuredOn, training, rows }));

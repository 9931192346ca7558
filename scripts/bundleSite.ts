/**
 * Prepares src/pages/_deqir/ for Observable Framework (runs before `npm run dev` and `npm run build`):
 *  - the DeqIR worker (TF.js + webgpu/webgl/wasm/cpu backends + the library) as one ESM file, and
 *    the page API (no TF.js) as another; Framework's own node_modules bundling of TF.js breaks at
 *    run time (docs/measured.md), esbuild's does not;
 *  - the TF.js wasm binaries, each site prior's UNet weights (src/lib/site/sitePriors.ts) and shipped
 *    image subset, the grey model's card and sample grid, and KaTeX's CSS and fonts, copied so the
 *    site serves everything itself (the pages fetch a prior's files only when it is picked).
 * The folder is generated (gitignored); a fresh clone gets it from `npm run build`.
 */
import { build } from 'esbuild';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITE_PRIORS } from '../src/lib/site/sitePriors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'src/pages/_deqir');

/**
 * TF.js's error messages and WGSL shader comments quote documentation links (github.com, arxiv.org).
 * They are never fetched, but a static scan of dist/ cannot tell them from requests, so we drop the
 * scheme ("see github.com/tensorflow/...") and keep dist/ free of anything that looks like a host URL.
 */
function schemeless(code: string): string {
  return code.replace(/\bhttps?:\/\/(?=[a-z0-9-]+\.[a-z])/gi, '').replace(/(\n\s*)\/\/(?=[a-z0-9-]+\.[a-z])/gi, '$1// '); // shader line comments: "//www.shadertoy.com/..."
}

/**
 * KaTeX's CSS with its woff2 fonts inlined as data: URLs. Framework copies a linked stylesheet but
 * not the fonts it points to, so we make the stylesheet self-contained (woff/ttf fallbacks dropped:
 * every browser with WebGPU reads woff2).
 */
async function katexCssWithFonts(dist: string): Promise<string> {
  const css = await readFile(join(dist, 'katex.min.css'), 'utf8');
  const fonts = new Map<string, string>();
  for (const m of css.matchAll(/url\(fonts\/([\w-]+\.woff2)\)/g))
    if (!fonts.has(m[1])) fonts.set(m[1], (await readFile(join(dist, 'fonts', m[1]))).toString('base64'));
  return css.replace(
    /src:url\(fonts\/([\w-]+\.woff2)\) format\("woff2"\)[^;}]*/g,
    (_, f: string) => `src:url(data:font/woff2;base64,${fonts.get(f)}) format("woff2")`,
  );
}

await rm(out, { recursive: true, force: true });
await mkdir(join(out, 'wasm'), { recursive: true });

const common = {
  bundle: true,
  format: 'esm' as const,
  platform: 'browser' as const,
  target: 'es2022',
  minify: true,
  sourcemap: false,
  // License texts go to a side file that is not served; the bundles keep no comments.
  legalComments: 'external' as const,
  logLevel: 'warning' as const,
};
// The library registers op gradients by importing the union package (see registerGradients.ts);
// in the browser tfjs-core's own registration is enough and keeps layers/converter out of the bundle.
const alias = { '@tensorflow/tfjs': '@tensorflow/tfjs-core/dist/register_all_gradients' };
for (const [entry, file] of [
  ['worker/deqirWorker.ts', 'deqir-worker.js'],
  ['page/pageApi.ts', 'deqir-client.js'],
]) {
  await build({ ...common, alias, entryPoints: [join(root, 'src/lib/site', entry)], outfile: join(out, file) });
  await writeFile(join(out, file), schemeless(await readFile(join(out, file), 'utf8')));
}
// The client's types beside it, so that the type check of the page components (tsconfig.pages.json)
// reads the API of pageApi.ts, not the minified bundle, once the bundle exists.
await writeFile(join(out, 'deqir-client.d.ts'), "export * from '../../lib/site/page/pageApi.js';\n");

const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'])
  await cp(join(wasmDir, f), join(out, 'wasm', f));
// Each site prior's card and sample grid, for "The prior" page.
for (const p of Object.values(SITE_PRIORS)) for (const f of [p.card, p.samples]) await cp(join(root, 'models', f), join(out, f));
for (const p of Object.values(SITE_PRIORS)) {
  const weights = join(root, 'models', p.weights);
  if (!(await stat(weights).catch(() => null))) throw new Error(`bundleSite: models/${p.weights} (the ${p.label} prior) is missing`);
  await cp(weights, join(out, p.weights));
  // Subset files keep their path under data/ (emoji/...), as src/pages/components/site.js names them.
  for (const f of [p.subset.images, p.subset.labels]) {
    await mkdir(dirname(join(out, f)), { recursive: true });
    await cp(join(root, 'data', f), join(out, f));
  }
}
// The emoji images' attribution and the Apache-2.0 text, linked next to the emoji pickers. As .txt:
// Framework would build a .md under src/pages into a page of its own (with the README's external links).
for (const [from, to] of [
  ['README.md', 'README.txt'],
  ['LICENSE-Apache-2.0.txt', 'LICENSE-Apache-2.0.txt'],
])
  await cp(join(root, 'data/emoji', from), join(out, 'emoji', to));
await mkdir(join(out, 'katex'));
await writeFile(join(out, 'katex/katex.css'), await katexCssWithFonts(join(root, 'node_modules/katex/dist')));
console.log(`bundled the worker and page API into ${out}`);

/**
 * Framework reuses a cached loader output whenever one exists, even when the library behind the
 * loader changed. Drop cached outputs older than any library source, loader, model, data or result file.
 */
async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    newest = Math.max(newest, (await stat(join(e.parentPath, e.name))).mtimeMs);
  }
  return newest;
}
const cacheDir = join(root, 'src/pages/.observablehq/cache/data');
const inputs = Math.max(
  // data/ holds the committed benchmark results the loaders read, besides the images.
  ...(await Promise.all(['src/lib', 'src/pages/data', 'data'].map((d) => newestMtime(join(root, d))))),
  // Each prior's weights and card (the loaders quote a card's steps and quality verdicts).
  ...(await Promise.all(
    Object.values(SITE_PRIORS)
      .flatMap((p) => [`models/${p.weights}`, `models/${p.card}`])
      .map(async (f) => (await stat(join(root, f))).mtimeMs),
  )),
);
for (const f of await readdir(cacheDir).catch(() => [] as string[])) {
  if ((await stat(join(cacheDir, f))).mtimeMs < inputs) {
    await rm(join(cacheDir, f));
    console.log(`stale loader output removed: ${f}`);
  }
}

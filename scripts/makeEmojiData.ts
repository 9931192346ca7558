/**
 * Builds the colour data set from the pinned emoji packages (src/lib/data/emoji.ts):
 *   .cache/emoji/<package>-<version>.tgz and extracted trees   (fetched with `npm pack` if missing)
 *   .cache/emoji/dataset/emoji32-{train,test}-images-idx4-ubyte  (IDX, uint8 [N, 32, 32, 3])
 *   .cache/emoji/dataset/emoji32-{train,test}-labels-idx1-ubyte  (IDX, uint8 [N], EMOJI_CATEGORIES ids)
 *   .cache/emoji/dataset/emoji32-{train,test}.json              (one entry per image: emoji, vendor, category)
 *   .cache/emoji/dataset/emoji32.provenance.json
 * and with --subset the committed benchmark subset in data/emoji/ (EMOJI_SUBSET of shippedSubset.ts).
 *   npm run data:emoji [-- --subset] [--no-fetch] [--seed 20240]
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  EMOJI_BACKGROUND,
  EMOJI_CATEGORIES,
  EMOJI_CHANNELS,
  EMOJI_FILTER,
  EMOJI_PACKAGES,
  EMOJI_SIDE,
  EMOJI_SOURCE_SIDE,
  EMOJI_TEST_PERMILLE,
  EXCLUDED_EMOJI_CATEGORIES,
  type EmojiSplit,
} from '../src/lib/data/emoji.js';
import { encodeIdx } from '../src/lib/data/idx.js';
import { seededSubset } from '../src/lib/data/seededSubset.js';
import { EMOJI_SUBSET } from '../src/lib/data/shippedSubset.js';
import { writeFileAtomic } from '../src/lib/node/atomicWrite.js';
import {
  buildEmojiData,
  EMOJI_CACHE_DIR,
  emojiImagePath,
  emojiSplitFiles,
  ensureEmojiPackages,
  type EmojiImageInfo,
  type EmojiPackage,
} from '../src/lib/node/emojiSource.js';
import { bytesSha256, fileSha256, provenance } from '../src/lib/node/provenance.js';

const { values: a } = parseArgs({
  options: {
    cache: { type: 'string', default: EMOJI_CACHE_DIR },
    'no-fetch': { type: 'boolean', default: false },
    subset: { type: 'boolean', default: false },
    seed: { type: 'string', default: '20240' },
    data: { type: 'string', default: 'data' },
  },
});
const seed = Number(a.seed);
const pkgs = (() => {
  try {
    return ensureEmojiPackages(a.cache, !a['no-fetch']);
  } catch (e) {
    console.error(`makeEmojiData: ${(e as Error).message}`);
    process.exit(1);
  }
})();

/** The licence statements inside the packages, found line by line (the build stops if one is missing). */
function licenceLines(pkg: EmojiPackage): Record<string, string[]> {
  const find = (file: string, needles: string[]) => {
    const lines = readFileSync(join(pkg.root, file), 'utf8').split('\n');
    return needles.map((n) => {
      const line = lines.find((l) => l.includes(n));
      if (!line) throw new Error(`${pkg.name}/${file} no longer says "${n}": read its licence terms again before using it`);
      return line.trim();
    });
  };
  return {
    'LICENSE (the package: code and data)': find('LICENSE', ['The MIT License', 'Copyright (c)']),
    'README.md (the images)': find(
      'README.md',
      pkg.vendor === 'twitter' ? ['Twitter images are available under'] : ['Noto images, are available under'],
    ),
    'README.md (image source)': find('README.md', pkg.vendor === 'twitter' ? ['| Twitter   |'] : ['| Google    |']),
  };
}
const licences = Object.fromEntries(pkgs.map((p) => [p.name, licenceLines(p)]));

const t0 = Date.now();
const built = buildEmojiData(pkgs, console.log);
console.log(`built ${built.selected.length} emoji in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const perImage = EMOJI_SIDE * EMOJI_SIDE * EMOJI_CHANNELS;
const categoryCounts = (labels: Uint8Array) =>
  Object.fromEntries(EMOJI_CATEGORIES.map((c, i) => [c, labels.filter((l) => l === i).length]));
const splitSummary = (split: EmojiSplit) => {
  const s = built.splits[split];
  return {
    images: s.count,
    emoji: new Set(s.items.map((i) => i.unified)).size,
    groups: new Set(s.items.map((i) => i.group)).size,
    perVendor: Object.fromEntries(pkgs.map((p) => [p.vendor, s.items.filter((i) => i.vendor === p.vendor).length])),
    perCategory: categoryCounts(s.labels),
  };
};
const summary = { train: splitSummary('train'), test: splitSummary('test') };
const packages = Object.fromEntries(
  pkgs.map((p) => [
    p.vendor,
    {
      name: p.name,
      version: p.version,
      integrity: p.tarballIntegrity,
      tarballSha256: p.tarballSha256,
      graphics: EMOJI_PACKAGES[p.vendor].graphics,
      graphicsLicense: EMOJI_PACKAGES[p.vendor].graphicsLicense,
      sourceImages: built.sourceImageCount[p.vendor],
      sourceImagesSha256: built.sourceImagesSha256[p.vendor],
    },
  ]),
);
const settings = {
  source: `img/<vendor>/${EMOJI_SOURCE_SIDE}/<image> of each package (${EMOJI_SOURCE_SIDE}x${EMOJI_SOURCE_SIDE} PNG)`,
  shape: [EMOJI_SIDE, EMOJI_SIDE, EMOJI_CHANNELS],
  background: EMOJI_BACKGROUND,
  filter: EMOJI_FILTER,
  labels: 'category field of emoji.json, ids = index in EMOJI_CATEGORIES (src/lib/data/emoji.ts)',
  excludedCategories: EXCLUDED_EMOJI_CATEGORIES,
  skinToneVariations: 'not used (top-level emoji.json entries only)',
  duplicates: 'per vendor, an image byte-identical to one of an earlier emoji (sort order) is dropped',
  split:
    `by group: emoji sharing a base (emojiBaseKey: gender signs, skin tones, ZWJ, FE0F dropped; man/woman/person/boy/girl/child = P), ` +
    `linked by obsoletes/obsoleted_by, or with a byte-identical image in some vendor form one group; ` +
    `test when fnv1a32(group key) mod 1000 < ${EMOJI_TEST_PERMILLE}`,
};

// The full set, in the cache (not committed).
const outDir = join(a.cache, 'dataset');
mkdirSync(outDir, { recursive: true });
const written: Record<string, { sha256: string }> = {};
for (const split of ['train', 'test'] as const) {
  const s = built.splits[split];
  const f = emojiSplitFiles(split);
  const img = encodeIdx([s.count, EMOJI_SIDE, EMOJI_SIDE, EMOJI_CHANNELS], s.pixels);
  const lab = encodeIdx([s.count], s.labels);
  const index = JSON.stringify({ split, classNames: EMOJI_CATEGORIES, images: s.items }) + '\n';
  await writeFileAtomic(join(outDir, f.images), img);
  await writeFileAtomic(join(outDir, f.labels), lab);
  await writeFileAtomic(join(outDir, f.index), index);
  written[f.images] = { sha256: bytesSha256(img) };
  written[f.labels] = { sha256: bytesSha256(lab) };
  written[f.index] = { sha256: bytesSha256(new TextEncoder().encode(index)) };
}
await writeFileAtomic(
  join(outDir, 'emoji32.provenance.json'),
  JSON.stringify(
    {
      dataset: 'Emoji 32x32 RGB (Twemoji + Noto Emoji), full train and test splits',
      packages,
      emojiJsonSha256: built.emojiJsonSha256,
      licences,
      settings,
      splits: summary,
      classNames: EMOJI_CATEGORIES,
      files: written,
      run: provenance(undefined, undefined),
    },
    null,
    2,
  ) + '\n',
);
console.log(
  `wrote ${outDir}/: train ${summary.train.images} images (${summary.train.emoji} emoji), test ${summary.test.images} images (${summary.test.emoji} emoji)`,
);
for (const split of ['train', 'test'] as const) console.log(`  ${split}: ${JSON.stringify(summary[split].perCategory)}`);

if (a.subset) {
  // 128 test emoji from 128 different groups (each group's first emoji in sort order that keeps both vendors' images),
  // chosen by seed; alternate ones (in sort order) fill images 0..127 and 128..255.
  const test = built.splits.test;
  const rowsOf = new Map<string, number[]>();
  test.items.forEach((it, r) => rowsOf.set(it.unified, [...(rowsOf.get(it.unified) ?? []), r]));
  const seenGroups = new Set<string>();
  const eligible = [...rowsOf.entries()].filter(([, rows]) => {
    const group = test.items[rows[0]].group;
    if (rows.length !== pkgs.length || seenGroups.has(group)) return false;
    seenGroups.add(group);
    return true;
  });
  const nEmoji = EMOJI_SUBSET.count / pkgs.length;
  const chosen = seededSubset(eligible.length, nEmoji, seed).map((i) => eligible[i]);
  const ordered = [...chosen.filter((_, i) => i % 2 === 0), ...chosen.filter((_, i) => i % 2 === 1)];
  const rows = ordered.flatMap(([, r]) => r);
  const pixels = new Uint8Array(rows.length * perImage);
  rows.forEach((r, i) => pixels.set(test.pixels.subarray(r * perImage, (r + 1) * perImage), i * perImage));
  const labels = Uint8Array.from(rows, (r) => test.labels[r]);
  const pkgOf = Object.fromEntries(pkgs.map((p) => [p.vendor, p]));
  const imageOf = new Map(built.selected.map((s) => [s.unified, s.image]));
  const images = rows.map((r) => {
    const it: EmojiImageInfo = test.items[r];
    return {
      ...it,
      source: `img/${it.vendor}/${EMOJI_SOURCE_SIDE}/${imageOf.get(it.unified)}`,
      sourceSha256: fileSha256(emojiImagePath(pkgOf[it.vendor], imageOf.get(it.unified)!)),
    };
  });
  const imgBytes = gzipSync(encodeIdx([rows.length, EMOJI_SIDE, EMOJI_SIDE, EMOJI_CHANNELS], pixels), { level: 9 });
  const labBytes = encodeIdx([rows.length], labels);
  const path = (f: string) => join(a.data, f);
  if (!existsSync(dirname(path(EMOJI_SUBSET.images)))) mkdirSync(dirname(path(EMOJI_SUBSET.images)), { recursive: true });
  const run = provenance(undefined, undefined);
  const prov = {
    dataset: 'Emoji 32x32 RGB: Twemoji and Noto Emoji images from the emoji-datasource npm packages',
    split: `test (${summary.test.images} images of ${summary.test.emoji} emoji; the train split, ${summary.train.images} images, is rebuilt by \`npm run data:emoji\`)`,
    license:
      'images: Twemoji graphics (Twitter, Inc and other contributors; jdecked/twemoji fork) under CC-BY-4.0, Noto Emoji graphics (Google) under Apache-2.0; ' +
      'the packages themselves (code, emoji.json) MIT, Copyright (c) 2013 Cal Henderson; see README.md and LICENSE-Apache-2.0.txt in this folder',
    obtainedFrom: `npm registry: ${pkgs.map((p) => `${p.name}@${p.version}`).join(', ')}`,
    packages,
    emojiJsonSha256: built.emojiJsonSha256,
    licences,
    settings,
    selection:
      `seededSubset(${eligible.length}, ${nEmoji}, seed ${seed}) over the test split's groups, each represented by its first emoji (sort order) that keeps an image in both vendors; ` +
      `images 0..${rows.length / 2 - 1} are the 1st, 3rd, 5th... chosen emoji, ${rows.length / 2}..${rows.length - 1} the 2nd, 4th...; each emoji as its twitter then its google image`,
    seed,
    count: rows.length,
    format: `${EMOJI_SUBSET.images}: gzip of an IDX file, uint8 [${rows.length}, ${EMOJI_SIDE}, ${EMOJI_SIDE}, ${EMOJI_CHANNELS}] sRGB bytes, channels last; the model uses x / 127.5 - 1. ${EMOJI_SUBSET.labels}: IDX uint8 [${rows.length}], EMOJI_CATEGORIES ids`,
    files: {
      [EMOJI_SUBSET.images.split('/').pop()!]: { sha256: bytesSha256(imgBytes) },
      [EMOJI_SUBSET.labels.split('/').pop()!]: { sha256: bytesSha256(labBytes) },
    },
    classNames: EMOJI_CATEGORIES,
    classCounts: categoryCounts(labels),
    fullSplits: summary,
    images,
    generatedBy: `npm run data:emoji -- --subset --seed ${seed}`,
    gitCommit: run.gitCommit,
    gitDirty: run.gitDirty,
    date: run.date,
    node: run.node,
  };
  await writeFileAtomic(path(EMOJI_SUBSET.images), imgBytes);
  await writeFileAtomic(path(EMOJI_SUBSET.labels), labBytes);
  // One line per image keeps the file short and readable.
  const text = JSON.stringify({ ...prov, images: '@IMAGES@' }, null, 2).replace(
    '"@IMAGES@"',
    `[\n${images.map((im) => `    ${JSON.stringify(im)}`).join(',\n')}\n  ]`,
  );
  await writeFileAtomic(path(EMOJI_SUBSET.provenance), text + '\n');
  console.log(
    `wrote ${rows.length} test images to ${dirname(path(EMOJI_SUBSET.images))}/ (${imgBytes.length} bytes gzipped; classes ${JSON.stringify(prov.classCounts)})`,
  );
}

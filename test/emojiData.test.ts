import { gunzipSync } from 'node:zlib';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compositeAndDownscale,
  EMOJI_BACKGROUND,
  EMOJI_CATEGORIES,
  EMOJI_PACKAGES,
  EMOJI_VENDORS,
  emojiBaseKey,
  fnv1a32,
  selectEmoji,
  splitOfGroup,
  type EmojiJsonEntry,
} from '../src/lib/data/emoji.js';
import { toSignedUnit } from '../src/lib/data/labelledImages.js';
import { EMOJI_SUBSET, FASHION_SUBSET, subsetFromFiles } from '../src/lib/data/shippedSubset.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { decodeRgba, EMOJI_CACHE_DIR, EMOJI_DATASET_DIR, emojiSplitFiles } from '../src/lib/node/emojiSource.js';
import { bytesSha256 } from '../src/lib/node/provenance.js';

// Everything here reads committed files only, except the last block, which needs .cache/emoji
// (built by `npm run data:emoji`) and is skipped without it.

const DATA = 'data';
const provenance = JSON.parse(readFileSync(join(DATA, EMOJI_SUBSET.provenance), 'utf8'));
const subset = loadBenchmarkSubset(DATA, EMOJI_SUBSET);
const PX = 32 * 32 * 3;

describe('colour benchmark subset (data/emoji)', () => {
  it('loads as [256, 32, 32, 3] uint8 with labels among the 9 categories', () => {
    expect([subset.count, subset.height, subset.width, subset.channels]).toEqual([256, 32, 32, 3]);
    expect(subset.pixels).toBeInstanceOf(Uint8Array);
    expect(subset.pixels.length).toBe(256 * PX);
    expect(subset.labels.length).toBe(256);
    expect(Math.max(...subset.labels)).toBeLessThan(EMOJI_CATEGORIES.length);
    const x = toSignedUnit(subset, [0, 255]);
    expect(x.length).toBe(2 * PX);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...x)).toBeLessThanOrEqual(1);
  });

  it('holds colour images on the one background: nearly all have colour and a background corner', () => {
    let onBackground = 0;
    let coloured = 0;
    for (let i = 0; i < subset.count; i++) {
      const im = subset.pixels.subarray(i * PX, (i + 1) * PX);
      let chroma = 0;
      for (let p = 0; p < PX; p += 3)
        chroma = Math.max(chroma, Math.max(im[p], im[p + 1], im[p + 2]) - Math.min(im[p], im[p + 1], im[p + 2]));
      if (chroma > 20) coloured++;
      if ([0, 1, 2].every((c) => im[c] === EMOJI_BACKGROUND[c])) onBackground++;
    }
    expect(onBackground).toBeGreaterThan(0.9 * subset.count);
    expect(coloured).toBeGreaterThan(0.9 * subset.count);
  });

  it('the browser path (DecompressionStream) gives the same images as the Node loader', async () => {
    const set = await subsetFromFiles(
      EMOJI_SUBSET,
      readFileSync(join(DATA, EMOJI_SUBSET.images)),
      readFileSync(join(DATA, EMOJI_SUBSET.labels)),
    );
    expect(set.channels).toBe(3);
    expect(bytesSha256(set.pixels)).toBe(bytesSha256(subset.pixels));
    expect(Array.from(set.labels)).toEqual(Array.from(subset.labels));
  });

  it('the browser path takes images a server already unpacked (Content-Encoding: gzip) as they are', async () => {
    const unpacked = gunzipSync(readFileSync(join(DATA, EMOJI_SUBSET.images)));
    const set = await subsetFromFiles(EMOJI_SUBSET, unpacked, readFileSync(join(DATA, EMOJI_SUBSET.labels)));
    expect(bytesSha256(set.pixels)).toBe(bytesSha256(subset.pixels));
  });

  it('the grey subset still loads through the same loader, as [256, 28, 28, 1]', () => {
    const grey = loadBenchmarkSubset(DATA, FASHION_SUBSET);
    expect([grey.count, grey.height, grey.width, grey.channels]).toEqual([256, 28, 28, 1]);
    expect(loadBenchmarkSubset().channels).toBe(1);
  });

  it('the loader refuses a subset whose definition does not match its files', () => {
    expect(() => loadBenchmarkSubset(DATA, { ...EMOJI_SUBSET, shape: [28, 28, 1] })).toThrow(/expected \[256,28,28,1\]/);
    expect(() => loadBenchmarkSubset(DATA, { ...EMOJI_SUBSET, classNames: ['a', 'b'] })).toThrow(/beyond its 2 classes/);
  });

  it('has its provenance: packages pinned with hashes, licence lines, settings, selection, run', () => {
    for (const v of EMOJI_VENDORS) {
      const p = provenance.packages[v];
      expect(p.name).toBe(EMOJI_PACKAGES[v].name);
      expect(p.version).toBe(EMOJI_PACKAGES[v].version);
      expect(p.integrity).toBe(EMOJI_PACKAGES[v].integrity);
      expect(p.tarballSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(p.sourceImagesSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(p.graphicsLicense).toBe(EMOJI_PACKAGES[v].graphicsLicense);
    }
    const lines = JSON.stringify(provenance.licences);
    expect(lines).toContain('Twitter images are available under the [Creative Commons Attribution 4.0 license]');
    expect(lines).toContain('Noto images, are available under the [Apache License 2.0]');
    expect(provenance.emojiJsonSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(provenance.settings.background).toEqual([...EMOJI_BACKGROUND]);
    expect(provenance.settings.filter).toMatch(/linear light/);
    expect(provenance.count).toBe(256);
    expect(typeof provenance.seed).toBe('number');
    expect(provenance.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(Number.isNaN(Date.parse(provenance.date))).toBe(false);
    expect(provenance.generatedBy).toContain('data:emoji');
    for (const f of [EMOJI_SUBSET.images, EMOJI_SUBSET.labels])
      expect(provenance.files[f.split('/').pop()!].sha256).toBe(bytesSha256(readFileSync(join(DATA, f))));
    expect(existsSync(join(DATA, 'emoji', 'README.md'))).toBe(true);
    expect(existsSync(join(DATA, 'emoji', 'LICENSE-Apache-2.0.txt'))).toBe(true);
  });

  it('names every image: its emoji, vendor, category (= its label) and source file hash', () => {
    expect(provenance.images).toHaveLength(256);
    provenance.images.forEach(
      (im: { unified: string; vendor: string; category: string; label: number; sourceSha256: string }, i: number) => {
        expect(im.label).toBe(subset.labels[i]);
        expect(im.category).toBe(EMOJI_CATEGORIES[im.label]);
        expect(EMOJI_VENDORS).toContain(im.vendor);
        expect(im.sourceSha256).toMatch(/^[0-9a-f]{64}$/);
      },
    );
  });

  it('covers the categories it says: classNames are EMOJI_CATEGORIES, classCounts match the labels, every category present', () => {
    expect(provenance.classNames).toEqual([...EMOJI_CATEGORIES]);
    expect(new Set(EMOJI_CATEGORIES).size).toBe(EMOJI_CATEGORIES.length);
    expect(EMOJI_SUBSET.classNames).toBe(EMOJI_CATEGORIES);
    EMOJI_CATEGORIES.forEach((c, id) => {
      const n = subset.labels.filter((l) => l === id).length;
      expect(provenance.classCounts[c], c).toBe(n);
      expect(n, c).toBeGreaterThan(0);
    });
    const full = provenance.fullSplits;
    for (const split of ['train', 'test']) expect(Object.keys(full[split].perCategory)).toEqual([...EMOJI_CATEGORIES]);
  });

  it('is test split only, each emoji in both vendors, one emoji per group, and its two halves (picker / prior fit) share no group', () => {
    const ims = provenance.images as { unified: string; vendor: string; group: string }[];
    for (const im of ims) expect(splitOfGroup(im.group), im.unified).toBe('test');
    const byEmoji = new Map<string, string[]>();
    ims.forEach((im) => byEmoji.set(im.unified, [...(byEmoji.get(im.unified) ?? []), im.vendor]));
    expect(byEmoji.size).toBe(128);
    expect(new Set(ims.map((im) => im.group)).size).toBe(128);
    for (const [u, v] of byEmoji) expect(v.sort(), u).toEqual(['google', 'twitter']);
    const first = new Set(ims.slice(0, 128).map((im) => im.group));
    expect(ims.slice(128).filter((im) => first.has(im.group))).toEqual([]);
  });
});

describe('emoji filter and split (src/lib/data/emoji.ts)', () => {
  const solid = (r: number, g: number, b: number, a: number) => Uint8Array.from({ length: 64 * 64 * 4 }, (_, i) => [r, g, b, a][i % 4]);

  it('transparent is the background, opaque keeps its colour', () => {
    expect(new Set(compositeAndDownscale(solid(255, 0, 0, 0), 64))).toEqual(new Set(EMOJI_BACKGROUND));
    const red = compositeAndDownscale(solid(200, 10, 30, 255), 64);
    expect(red.length).toBe(32 * 32 * 3);
    expect(Array.from(red.subarray(0, 3))).toEqual([200, 10, 30]);
    expect(Array.from(red.subarray(red.length - 3))).toEqual([200, 10, 30]);
  });

  it('composites in sRGB: half-transparent white over the grey is their sRGB midpoint', () => {
    const out = compositeAndDownscale(solid(255, 255, 255, 255 / 3), 64);
    // alpha 85/255 = 1/3: 255/3 + 128 * 2/3 = 170.3
    expect(out[0]).toBe(170);
  });

  it('averages in linear light: a black/white 2x2 checker becomes sRGB 188, not 128', () => {
    const px = new Uint8Array(64 * 64 * 4);
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++) {
        const v = (x + y) % 2 ? 255 : 0;
        px.set([v, v, v, 255], 4 * (y * 64 + x));
      }
    expect(new Set(compositeAndDownscale(px, 64))).toEqual(new Set([188]));
  });

  it('refuses sizes that are not whole multiples', () => {
    expect(() => compositeAndDownscale(new Uint8Array(48 * 48 * 4), 48)).toThrow(/whole multiple/);
    expect(() => compositeAndDownscale(new Uint8Array(10), 64)).toThrow(/RGBA/);
  });

  it('base keys join gender, skin-tone and person variants, not different emoji or flags', () => {
    expect(emojiBaseKey('1F468-200D-1F373')).toBe(emojiBaseKey('1F469-200D-1F373'));
    expect(emojiBaseKey('1F468-200D-1F373')).toBe(emojiBaseKey('1F9D1-200D-1F373'));
    expect(emojiBaseKey('1F3C3-200D-2640-FE0F')).toBe(emojiBaseKey('1F3C3'));
    expect(emojiBaseKey('1F44B-1F3FD')).toBe('1F44B');
    expect(emojiBaseKey('1F468')).not.toBe(emojiBaseKey('1F469'));
    expect(emojiBaseKey('1F1EB-1F1F7')).not.toBe(emojiBaseKey('1F1E9-1F1EA'));
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
  });

  it('selectEmoji puts whole groups in one split: variants, obsoletes links, identical images', () => {
    const entries: EmojiJsonEntry[] = [];
    const e = (unified: string, category: string, extra: Partial<EmojiJsonEntry> = {}) =>
      entries.push({ unified, image: `${unified.toLowerCase()}.png`, short_name: unified, category, sort_order: entries.length, ...extra });
    // 300 unrelated symbols, enough that both splits occur, plus linked ones.
    for (let i = 0; i < 300; i++) e((0x2600 + i).toString(16).toUpperCase(), 'Symbols');
    e('1F468-200D-1F373', 'People & Body');
    e('1F469-200D-1F373', 'People & Body');
    e('1F46E', 'People & Body', { obsoleted_by: '1F46E-200D-2642-FE0F' });
    e('1F46E-200D-2642-FE0F', 'People & Body', { obsoletes: '1F46E' });
    e('1F1FA-1F1F8', 'Flags'); // US
    e('1F1FA-1F1F2', 'Flags'); // US Outlying Islands: same picture
    e('1F3FB', 'Component');
    const sameAsUs = new Set(['1F1FA-1F1F8', '1F1FA-1F1F2']);
    const hash = (v: string, x: EmojiJsonEntry) => (sameAsUs.has(x.unified) && v === 'twitter' ? 'us-flag' : `${v}:${x.unified}`);
    const sel = selectEmoji(entries, hash);
    expect(sel.find((s) => s.category === ('Component' as never))).toBeUndefined();
    expect(new Set(sel.map((s) => s.split))).toEqual(new Set(['train', 'test']));
    const groupSplits = new Map<string, Set<string>>();
    for (const s of sel) groupSplits.set(s.group, (groupSplits.get(s.group) ?? new Set()).add(s.split));
    for (const [g, splits] of groupSplits) expect(splits.size, g).toBe(1);
    const g = (u: string) => sel.find((s) => s.unified === u)!.group;
    expect(g('1F468-200D-1F373')).toBe(g('1F469-200D-1F373'));
    expect(g('1F46E')).toBe(g('1F46E-200D-2642-FE0F'));
    expect(g('1F1FA-1F1F8')).toBe(g('1F1FA-1F1F2'));
    // the duplicate picture is kept once per vendor
    expect(sel.find((s) => s.unified === '1F1FA-1F1F2')!.vendors).toEqual(['google']);
    expect(sel.every((s) => s.label === EMOJI_CATEGORIES.indexOf(s.category))).toBe(true);
  });
});

const cached = existsSync(
  join(EMOJI_CACHE_DIR, `${EMOJI_PACKAGES.twitter.name}-${EMOJI_PACKAGES.twitter.version}`, 'package', 'emoji.json'),
);
describe.skipIf(!cached)('emoji build script against .cache/emoji (skipped when the cache is absent: run `npm run data:emoji`)', () => {
  it('rebuilds every committed subset image byte for byte from its source PNG', () => {
    const images = provenance.images as { vendor: 'twitter' | 'google'; source: string; sourceSha256: string }[];
    images.forEach((im, i) => {
      const { name, version } = EMOJI_PACKAGES[im.vendor];
      const bytes = readFileSync(join(EMOJI_CACHE_DIR, `${name}-${version}`, 'package', im.source));
      expect(bytesSha256(bytes)).toBe(im.sourceSha256);
      const out = compositeAndDownscale(decodeRgba(bytes, im.source), 64);
      expect(bytesSha256(out), `image ${i}`).toBe(bytesSha256(subset.pixels.subarray(i * PX, (i + 1) * PX)));
    });
  });

  it.skipIf(!existsSync(join(EMOJI_DATASET_DIR, emojiSplitFiles('test').index)))(
    'the built train and test sets share no emoji and no group',
    () => {
      const read = (s: 'train' | 'test') =>
        JSON.parse(readFileSync(join(EMOJI_DATASET_DIR, emojiSplitFiles(s).index), 'utf8')).images as { unified: string; group: string }[];
      const [train, test] = [read('train'), read('test')];
      expect(train.length).toBeGreaterThan(3000);
      expect(test.length).toBeGreaterThanOrEqual(256);
      const testEmoji = new Set(test.map((x) => x.unified));
      const testGroups = new Set(test.map((x) => x.group));
      expect(train.filter((x) => testEmoji.has(x.unified) || testGroups.has(x.group))).toEqual([]);
    },
  );
});

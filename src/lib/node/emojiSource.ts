import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import {
  compositeAndDownscale,
  EMOJI_CHANNELS,
  EMOJI_PACKAGES,
  EMOJI_SIDE,
  EMOJI_SOURCE_SIDE,
  EMOJI_VENDORS,
  selectEmoji,
  type EmojiJsonEntry,
  type EmojiSplit,
  type EmojiVendor,
  type SelectedEmoji,
} from '../data/emoji.js';
import { labelledFromIdx, type LabelledImages } from '../data/labelledImages.js';
import { DeqirError } from '../errors.js';
import { readInputFileSync } from './inputFile.js';

/**
 * Node side of the colour data set (src/lib/data/emoji.ts): fetching the pinned npm packages into
 * a git-ignored cache, checking them, and turning their PNGs into 32x32 RGB images.
 */

/** Git-ignored cache of the npm tarballs, their extracted trees and the built data set. */
export const EMOJI_CACHE_DIR = '.cache/emoji';
/** Where scripts/makeEmojiData.ts writes the full train and test sets (not committed). */
export const EMOJI_DATASET_DIR = join(EMOJI_CACHE_DIR, 'dataset');

/** File names of a split of the full (built, uncommitted) set inside EMOJI_DATASET_DIR. */
export function emojiSplitFiles(split: EmojiSplit): { images: string; labels: string; index: string } {
  return {
    images: `emoji32-${split}-images-idx4-ubyte`,
    labels: `emoji32-${split}-labels-idx1-ubyte`,
    index: `emoji32-${split}.json`,
  };
}

/** The command that puts the pinned tarballs into the cache (what ensureEmojiPackages runs). */
function emojiPackCommand(cacheDir = EMOJI_CACHE_DIR): string[] {
  return [
    'npm',
    'pack',
    ...EMOJI_VENDORS.map((v) => `${EMOJI_PACKAGES[v].name}@${EMOJI_PACKAGES[v].version}`),
    '--pack-destination',
    cacheDir,
  ];
}

export interface EmojiPackage {
  vendor: EmojiVendor;
  name: string;
  version: string;
  tarball: string;
  tarballSha256: string;
  tarballIntegrity: string;
  /** The extracted package root (…/package). */
  root: string;
}

/**
 * The pinned packages, extracted under cacheDir: fetched with `npm pack` when their tarball is
 * missing (unless fetch is false: then a DeqirError names the command), checked against the pinned
 * sha512 integrity, extracted once with tar.
 */
export function ensureEmojiPackages(cacheDir = EMOJI_CACHE_DIR, fetch = true): EmojiPackage[] {
  mkdirSync(cacheDir, { recursive: true });
  const tarballOf = (v: EmojiVendor) => join(cacheDir, `${EMOJI_PACKAGES[v].name}-${EMOJI_PACKAGES[v].version}.tgz`);
  if (EMOJI_VENDORS.some((v) => !existsSync(tarballOf(v)))) {
    const cmd = emojiPackCommand(cacheDir);
    if (!fetch) throw new DeqirError('dataset', `the emoji packages are not in ${cacheDir}; fetch them with\n  ${cmd.join(' ')}`);
    console.error(`fetching: ${cmd.join(' ')}`);
    try {
      execFileSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
    } catch (e) {
      throw new DeqirError(
        'dataset',
        `\`${cmd.join(' ')}\` failed (${(e as Error).message}); run it by hand where the npm registry is reachable`,
      );
    }
  }
  return EMOJI_VENDORS.map((vendor) => {
    const { name, version, integrity } = EMOJI_PACKAGES[vendor];
    const tarball = tarballOf(vendor);
    const bytes = readFileSync(tarball);
    const got = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
    if (got !== integrity)
      throw new DeqirError('dataset', `${tarball} has integrity ${got}, not the pinned ${integrity}; delete it and run again`);
    const dir = join(cacheDir, `${name}-${version}`);
    const root = join(dir, 'package');
    if (!existsSync(join(root, 'emoji.json'))) {
      const tmp = `${dir}.extracting-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true });
      execFileSync('tar', ['-xzf', tarball, '-C', tmp], { stdio: ['ignore', 'ignore', 'inherit'] });
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
    }
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
    if (pkg.name !== name || pkg.version !== version)
      throw new DeqirError('dataset', `${root} holds ${pkg.name}@${pkg.version}, not ${name}@${version}`);
    return { vendor, name, version, tarball, tarballSha256: createHash('sha256').update(bytes).digest('hex'), tarballIntegrity: got, root };
  });
}

/** img/<vendor>/64/<image> inside a package. */
export function emojiImagePath(pkg: EmojiPackage, image: string): string {
  return join(pkg.root, 'img', pkg.vendor, String(EMOJI_SOURCE_SIDE), image);
}

/** A 64x64 PNG (any colour type pngjs reads: palette + tRNS, RGBA) -> RGBA bytes. */
export function decodeRgba(bytes: Uint8Array, what: string): Uint8Array {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new DeqirError('image-file', `${what} is not a readable PNG (${(e as Error).message})`);
  }
  if (png.width !== EMOJI_SOURCE_SIDE || png.height !== EMOJI_SOURCE_SIDE)
    throw new DeqirError('image-file', `${what} is ${png.width}x${png.height}, not ${EMOJI_SOURCE_SIDE}x${EMOJI_SOURCE_SIDE}`);
  return new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
}

/** One image of the built set. */
export interface EmojiImageInfo {
  unified: string;
  vendor: EmojiVendor;
  shortName: string;
  category: string;
  label: number;
  group: string;
}

export interface EmojiSplitImages {
  count: number;
  pixels: Uint8Array;
  labels: Uint8Array;
  items: EmojiImageInfo[];
}

export interface BuiltEmojiData {
  selected: SelectedEmoji[];
  splits: Record<EmojiSplit, EmojiSplitImages>;
  /** The packages' emoji.json must agree; this is its sha256. */
  emojiJsonSha256: string;
  /** sha256 over the concatenated sha256 of every source PNG used, in image order, per vendor. */
  sourceImagesSha256: Record<EmojiVendor, string>;
  sourceImageCount: Record<EmojiVendor, number>;
}

/** Reads the packages' emoji.json (both must be the same file). */
function readEmojiJson(pkgs: readonly EmojiPackage[]): { entries: EmojiJsonEntry[]; sha256: string } {
  const texts = pkgs.map((p) => readFileSync(join(p.root, 'emoji.json')));
  const hashes = texts.map((t) => createHash('sha256').update(t).digest('hex'));
  if (new Set(hashes).size !== 1)
    throw new DeqirError('dataset', `the packages' emoji.json files differ (${hashes.join(', ')}); pin versions that match`);
  return { entries: JSON.parse(texts[0].toString('utf8')) as EmojiJsonEntry[], sha256: hashes[0] };
}

/**
 * Builds both splits: every selected emoji (selectEmoji) in every vendor it keeps, in sort order,
 * twitter before google; each PNG composited and box-filtered to [32, 32, 3].
 */
export function buildEmojiData(pkgs: readonly EmojiPackage[], log: (msg: string) => void = () => {}): BuiltEmojiData {
  const { entries, sha256: emojiJsonSha256 } = readEmojiJson(pkgs);
  const pkgOf = Object.fromEntries(pkgs.map((p) => [p.vendor, p])) as Record<EmojiVendor, EmojiPackage>;
  const fileHash = new Map<string, string>();
  const hashOf = (v: EmojiVendor, e: EmojiJsonEntry): string => {
    const path = emojiImagePath(pkgOf[v], e.image);
    let h = fileHash.get(path);
    if (!h) {
      if (!existsSync(path)) throw new DeqirError('dataset', `${path} is missing (emoji.json says has_img_${v})`);
      h = createHash('sha256').update(readFileSync(path)).digest('hex');
      fileHash.set(path, h);
    }
    return h;
  };
  const selected = selectEmoji(entries, hashOf);
  const perImage = EMOJI_SIDE * EMOJI_SIDE * EMOJI_CHANNELS;
  const acc: Record<EmojiSplit, { px: Uint8Array[]; items: EmojiImageInfo[] }> = {
    train: { px: [], items: [] },
    test: { px: [], items: [] },
  };
  const used: Record<EmojiVendor, string[]> = { twitter: [], google: [] };
  selected.forEach((s, i) => {
    for (const v of s.vendors) {
      const path = emojiImagePath(pkgOf[v], s.image);
      acc[s.split].px.push(compositeAndDownscale(decodeRgba(readFileSync(path), path), EMOJI_SOURCE_SIDE));
      acc[s.split].items.push({
        unified: s.unified,
        vendor: v,
        shortName: s.shortName,
        category: s.category,
        label: s.label,
        group: s.group,
      });
      used[v].push(fileHash.get(path)!);
    }
    if ((i + 1) % 500 === 0) log(`  ${i + 1} of ${selected.length} emoji`);
  });
  const splits = Object.fromEntries(
    (['train', 'test'] as const).map((split) => {
      const { px, items } = acc[split];
      const pixels = new Uint8Array(px.length * perImage);
      px.forEach((p, i) => pixels.set(p, i * perImage));
      return [split, { count: items.length, pixels, labels: Uint8Array.from(items, (it) => it.label), items }];
    }),
  ) as Record<EmojiSplit, EmojiSplitImages>;
  const digest = (hs: string[]) => createHash('sha256').update(hs.join('\n')).digest('hex');
  return {
    selected,
    splits,
    emojiJsonSha256,
    sourceImagesSha256: { twitter: digest(used.twitter), google: digest(used.google) },
    sourceImageCount: { twitter: used.twitter.length, google: used.google.length },
  };
}

/** Loads a split of the full set built by scripts/makeEmojiData.ts (Node only; the cache must exist). */
export function loadEmojiDataset(split: EmojiSplit, dir = EMOJI_DATASET_DIR): LabelledImages & { items: EmojiImageInfo[] } {
  const f = emojiSplitFiles(split);
  for (const name of [f.images, f.labels, f.index])
    if (!existsSync(join(dir, name)))
      throw new DeqirError('dataset', `${join(dir, name)} not found; build the colour data set with \`npm run data:emoji\``);
  const set = labelledFromIdx(
    readInputFileSync(join(dir, f.images), 'dataset'),
    readInputFileSync(join(dir, f.labels), 'dataset'),
    `emoji ${split}`,
  );
  const items = JSON.parse(readFileSync(join(dir, f.index), 'utf8')).images as EmojiImageInfo[];
  if (items.length !== set.count)
    throw new DeqirError('dataset', `${join(dir, f.index)} lists ${items.length} images, the IDX file has ${set.count}`);
  return { ...set, items };
}

/** gunzip for the committed .gz subset files, bounded like any dataset read. */
export function gunzipDataset(bytes: Uint8Array, what: string, maxBytes: number): Uint8Array {
  try {
    return new Uint8Array(gunzipSync(bytes, { maxOutputLength: maxBytes }));
  } catch (e) {
    throw new DeqirError('dataset', `${what} does not unzip to at most ${maxBytes} bytes (${(e as Error).message})`);
  }
}

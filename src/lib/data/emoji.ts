/**
 * The colour data set: emoji from two openly licensed vendor sets, each composited onto one
 * background and box-filtered to 32x32 RGB (scripts/makeEmojiData.ts builds it; data/emoji/README.md
 * has the attribution). This module is the one definition of the packages, the categories and their
 * ids, the background, the filter and the train/test split. Browser-safe: no I/O, no node:*.
 */

/** The npm packages the images come from, pinned by version and by the registry's sha512 integrity. */
export const EMOJI_PACKAGES = {
  twitter: {
    name: 'emoji-datasource-twitter',
    version: '16.0.0',
    integrity: 'sha512-7F+uCuHH+7Qnrc15P5tnbvKkg9E6tlzi4MnT2uW1RlN4pLYTza6cP/dstIfSDMtpjFLWuZewWg8jBbuL2eyELQ==',
    graphics: 'Twemoji (jdecked/twemoji fork) v16.0.1',
    graphicsLicense: 'CC-BY-4.0',
  },
  google: {
    name: 'emoji-datasource-google',
    version: '16.0.0',
    integrity: 'sha512-ZRexfzs7MVoLnmzZmNsO4TKhnAJp5D++Vm6PpUpH/jEQQlemp3l88CjZ+DoZ2faM9R4QxZkOPJCoT8DlPhfQ3A==',
    graphics: 'Noto Emoji (googlefonts/noto-emoji) v2.048',
    graphicsLicense: 'Apache-2.0',
  },
} as const;

export type EmojiVendor = keyof typeof EMOJI_PACKAGES;
/** Vendor ids: the order images of one emoji appear in (0 = twitter, 1 = google). */
export const EMOJI_VENDORS: readonly EmojiVendor[] = ['twitter', 'google'];

/**
 * Labels: the `category` field of the packages' emoji.json, in the order of their categories.json,
 * index = label id. "Component" (five skin-tone swatches, plain coloured squares) is left out.
 */
export const EMOJI_CATEGORIES = [
  'Smileys & Emotion',
  'People & Body',
  'Animals & Nature',
  'Food & Drink',
  'Travel & Places',
  'Activities',
  'Objects',
  'Symbols',
  'Flags',
] as const;
export type EmojiCategory = (typeof EMOJI_CATEGORIES)[number];
export const EXCLUDED_EMOJI_CATEGORIES = ['Component'] as const;

/** Source images: the packages' img/<vendor>/64/<image>, 64x64 RGBA PNG. */
export const EMOJI_SOURCE_SIDE = 64;
/** Output images: [32, 32, 3] RGB bytes, row-major, channels last. */
export const EMOJI_SIDE = 32;
export const EMOJI_CHANNELS = 3;
export const EMOJI_SHAPE = [EMOJI_SIDE, EMOJI_SIDE, EMOJI_CHANNELS] as const;

/**
 * The one background, sRGB bytes: neutral mid grey. Neutral, so the colorization operator (channel
 * mean) leaves it unchanged and a grey input already shows it right; mid, so it is ~0 in the model's
 * [-1, 1] units and stands apart from both the white and the black parts of emoji.
 */
export const EMOJI_BACKGROUND: readonly [number, number, number] = [128, 128, 128];

/** Share of split groups in the test split (by hash, so about this share of emoji). */
export const EMOJI_TEST_PERMILLE = 100;

/** The filter, in words (recorded in provenance). */
export const EMOJI_FILTER =
  'alpha-composite each 64x64 RGBA image over the background in sRGB space (how a browser shows the PNG), ' +
  'then average each 2x2 block in linear light (sRGB decoded, box filter = exact area average for the 2x reduction) ' +
  'and encode back to sRGB bytes, rounding to nearest';

// ---------------------------------------------------------------------------------------------
// Filter

function srgbToLinear(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
}

function linearToSrgbByte(l: number): number {
  const c = l <= 0.0031308 ? 12.92 * l : 1.055 * Math.pow(l, 1 / 2.4) - 0.055;
  return Math.min(255, Math.max(0, Math.round(c * 255)));
}

/**
 * RGBA bytes [side, side, 4] -> RGB bytes [EMOJI_SIDE, EMOJI_SIDE, 3]: composite over `background`
 * in sRGB, then a box filter of factor side / EMOJI_SIDE in linear light (see EMOJI_FILTER).
 */
export function compositeAndDownscale(
  rgba: Uint8Array,
  side: number,
  background: readonly [number, number, number] = EMOJI_BACKGROUND,
  out: number = EMOJI_SIDE,
): Uint8Array {
  if (rgba.length !== side * side * 4) throw new RangeError(`compositeAndDownscale: ${rgba.length} bytes is not ${side}x${side} RGBA`);
  const f = side / out;
  if (!Number.isInteger(f) || f < 1) throw new RangeError(`compositeAndDownscale: ${side} is not a whole multiple of ${out}`);
  const lin = new Float64Array(side * side * 3);
  for (let p = 0; p < side * side; p++) {
    const a = rgba[4 * p + 3] / 255;
    for (let c = 0; c < 3; c++) lin[3 * p + c] = srgbToLinear(a * rgba[4 * p + c] + (1 - a) * background[c]);
  }
  const res = new Uint8Array(out * out * 3);
  const area = f * f;
  for (let y = 0; y < out; y++)
    for (let x = 0; x < out; x++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) s += lin[3 * ((y * f + dy) * side + x * f + dx) + c];
        res[3 * (y * out + x) + c] = linearToSrgbByte(s / area);
      }
  return res;
}

// ---------------------------------------------------------------------------------------------
// Selection and split

/** The fields of an emoji.json entry this kit reads. */
export interface EmojiJsonEntry {
  unified: string;
  image: string;
  short_name: string;
  category: string;
  sort_order: number;
  obsoletes?: string;
  obsoleted_by?: string;
  has_img_twitter?: boolean;
  has_img_google?: boolean;
}

/** Code points that do not make a different emoji: variation selector, ZWJ, gender signs, skin tones. */
const MODIFIERS = new Set(['FE0F', '200D', '2640', '2642', '1F3FB', '1F3FC', '1F3FD', '1F3FE', '1F3FF']);
/** man, woman, person, boy, girl, child: one person glyph in the emoji that put a gender on it. */
const PERSONS = new Set(['1F468', '1F469', '1F9D1', '1F466', '1F467', '1F9D2']);

/**
 * An emoji's base: its code points without gender signs, skin tones, ZWJ and FE0F, with man /
 * woman / person / boy / girl / child written P. "man cook", "woman cook" and "cook" share P-1F373;
 * "runner" and "woman running" share 1F3C3; every four-person family is P-P-P-P. Flags keep
 * their own code points.
 */
export function emojiBaseKey(unified: string): string {
  const cps = unified.toUpperCase().split('-').filter((c) => !MODIFIERS.has(c));
  const key = cps.map((c) => (PERSONS.has(c) && cps.length > 1 ? 'P' : c)).join('-');
  return key || unified.toUpperCase();
}

/** FNV-1a, 32-bit, over the UTF-16 code units of a string (ASCII here). */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export type EmojiSplit = 'train' | 'test';

/** The split of a group, from the hash of its key: test when fnv1a32(key) mod 1000 < EMOJI_TEST_PERMILLE. */
export function splitOfGroup(groupKey: string): EmojiSplit {
  return fnv1a32(groupKey) % 1000 < EMOJI_TEST_PERMILLE ? 'test' : 'train';
}

/** One emoji chosen for the data set, with its label and the group that decides its split. */
export interface SelectedEmoji {
  unified: string;
  image: string;
  shortName: string;
  category: EmojiCategory;
  label: number;
  sortOrder: number;
  /** The group's key: the smallest base key (emojiBaseKey) among the emoji it joins. */
  group: string;
  split: EmojiSplit;
  /** Vendors whose image this emoji uses (an image byte-identical to an earlier emoji's is dropped). */
  vendors: EmojiVendor[];
}

/**
 * Chooses the emoji and splits them. Groups join emoji that share a base key (emojiBaseKey), that
 * obsolete one another (emoji.json `obsoletes` / `obsoleted_by`), or whose image is byte-identical
 * in some vendor (`imageHash(vendor, entry)`, e.g. Twemoji draws every family alike); a whole group
 * lands in one split. Per vendor, an image identical to one already taken (in sort order) is
 * dropped, so no picture appears twice. Skin-tone variations (not top-level entries) are not used.
 */
export function selectEmoji(entries: readonly EmojiJsonEntry[], imageHash: (vendor: EmojiVendor, e: EmojiJsonEntry) => string): SelectedEmoji[] {
  const kept = entries
    .filter((e) => (EMOJI_CATEGORIES as readonly string[]).includes(e.category))
    .slice()
    .sort((a, b) => a.sort_order - b.sort_order || (a.unified < b.unified ? -1 : 1));
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  const union = (a: string, b: string) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) (ra < rb ? parent.set(rb, ra) : parent.set(ra, rb));
  };
  const byUnified = new Map(kept.map((e) => [e.unified.toUpperCase(), e]));
  for (const e of kept) parent.set(emojiBaseKey(e.unified), emojiBaseKey(e.unified));
  for (const e of kept)
    for (const other of [e.obsoletes, e.obsoleted_by])
      if (other && byUnified.has(other.toUpperCase())) union(emojiBaseKey(e.unified), emojiBaseKey(other));
  const firstWithHash = new Map<string, EmojiJsonEntry>();
  const vendorsOf = new Map<EmojiJsonEntry, EmojiVendor[]>(kept.map((e) => [e, []]));
  for (const e of kept)
    for (const v of EMOJI_VENDORS) {
      if (e[`has_img_${v}`] === false) continue;
      const h = `${v}:${imageHash(v, e)}`;
      const first = firstWithHash.get(h);
      if (first) union(emojiBaseKey(first.unified), emojiBaseKey(e.unified));
      else {
        firstWithHash.set(h, e);
        vendorsOf.get(e)!.push(v);
      }
    }
  return kept
    .filter((e) => vendorsOf.get(e)!.length > 0)
    .map((e) => {
      const group = find(emojiBaseKey(e.unified));
      const category = e.category as EmojiCategory;
      return {
        unified: e.unified.toUpperCase(),
        image: e.image,
        shortName: e.short_name,
        category,
        label: EMOJI_CATEGORIES.indexOf(category),
        sortOrder: e.sort_order,
        group,
        split: splitOfGroup(group),
        vendors: vendorsOf.get(e)!,
      };
    });
}

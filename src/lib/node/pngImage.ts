import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { DeqirError, NonFiniteError, ShapeError } from '../errors.js';
import { MAX_IMAGE_SIDE } from '../bounds.js';
import { writeFileAtomic } from './atomicWrite.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Width and height from a PNG's IHDR chunk, read before anything is decoded: a 20000x20000 header
 * is refused here instead of allocating 1.6 GB. Sides beyond MAX_IMAGE_SIDE are refused.
 */
export function pngHeader(bytes: Uint8Array, path: string): { width: number; height: number; interlaced: boolean } {
  const bad = (why: string): never => {
    throw new DeqirError('image-file', `${path} is not a readable PNG (${why})`);
  };
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) bad('no PNG signature');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') bad('the first chunk is not IHDR');
  const width = dv.getUint32(16);
  const height = dv.getUint32(20);
  if (width === 0 || height === 0) bad(`its header says ${width}x${height}`);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
    throw new DeqirError('image-file', `${path} is ${width}x${height}; images may be at most ${MAX_IMAGE_SIDE} pixels on a side`);
  return { width, height, interlaced: bytes[28] !== 0 };
}

/**
 * A PNG's bytes as values in [-1, 1], row-major [H, W, C]: C = 1 is the luminance of RGB, C = 3 is
 * RGB (a grey PNG gives R = G = B, what colorization starts from). Alpha is ignored. Call pngHeader first.
 */
export function decodePng(
  bytes: Uint8Array,
  path: string,
  channels: 1 | 3 = 1,
): { width: number; height: number; channels: 1 | 3; pixels: Float32Array } {
  const { width, height, interlaced } = pngHeader(bytes, path);
  // pngjs bounds inflation by the image size, except for interlaced images: bound those here.
  if (interlaced) boundedInflate(bytes, path, 8 * width * height + 8 * height + 1024);
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new DeqirError('image-file', `${path} is not a readable PNG (${(e as Error).message})`);
  }
  const n = png.width * png.height;
  const pixels = new Float32Array(n * channels);
  const unit = (v: number) => (v / 255) * 2 - 1;
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [png.data[4 * i], png.data[4 * i + 1], png.data[4 * i + 2]];
    if (channels === 1) pixels[i] = unit(0.299 * r + 0.587 * g + 0.114 * b);
    else [pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]] = [unit(r), unit(g), unit(b)];
  }
  return { width: png.width, height: png.height, channels, pixels };
}

/** Inflates the IDAT chunks with an output cap (a small file must not inflate to gigabytes). */
function boundedInflate(bytes: Uint8Array, path: string, maxOutputLength: number): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  for (let o = 8; o + 8 <= bytes.length;) {
    const len = dv.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    if (type === 'IDAT') parts.push(bytes.subarray(o + 8, Math.min(bytes.length, o + 8 + len)));
    o += 12 + len;
  }
  try {
    inflateSync(Buffer.concat(parts), { maxOutputLength });
  } catch (e) {
    throw new DeqirError(
      'image-file',
      `${path} is not a readable PNG (its image data does not inflate to the size its header says: ${(e as Error).message})`,
    );
  }
}

/**
 * The 8-bit PNG of images in [-1, 1] (clipped), several side by side, each pixel a scale x scale
 * block. Each image is [H, W, C] with its own C: 1 is drawn grey, 3 in colour (RGB).
 */
export function encodePng(images: ArrayLike<number>[], width: number, height: number, scale = 1, gap = 2): Uint8Array {
  const channels = images.map((img, k) => {
    const C = img.length / (width * height);
    if (C !== 1 && C !== 3)
      throw new ShapeError(`image ${k} of the PNG has ${img.length} values, not ${width}x${height} with 1 or 3 channels`);
    for (let i = 0; i < img.length; i++)
      if (!Number.isFinite(img[i]))
        throw new NonFiniteError(`image ${k} of the PNG has a non-finite value (${img[i]}) at pixel ${i}; nothing was written`);
    return C;
  });
  const W = images.length * width * scale + (images.length - 1) * gap;
  const png = new PNG({ width: W, height: height * scale });
  png.data.fill(255);
  const byte = (v: number) => Math.round((Math.min(1, Math.max(-1, v)) + 1) * 127.5);
  images.forEach((img, k) => {
    const C = channels[k];
    for (let i = 0; i < height * scale; i++) {
      for (let j = 0; j < width * scale; j++) {
        const p = C * (Math.floor(i / scale) * width + Math.floor(j / scale));
        const o = 4 * (i * W + k * (width * scale + gap) + j);
        for (let c = 0; c < 3; c++) png.data[o + c] = byte(img[p + (C === 3 ? c : 0)]);
        png.data[o + 3] = 255;
      }
    }
  });
  return PNG.sync.write(png);
}

/**
 * Writes images in [-1, 1] (clipped; grey or RGB, as encodePng) as an 8-bit PNG, atomically
 * (atomicWrite.ts): several side by side, each pixel drawn as a scale x scale block (small images
 * stay visible). Non-finite values are refused before anything is written.
 */
export async function writePng(
  path: string,
  images: ArrayLike<number>[],
  width: number,
  height: number,
  scale = 1,
  gap = 2,
): Promise<void> {
  await writeFileAtomic(path, encodePng(images, width, height, scale, gap));
}

import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { DeqirError, NonFiniteError } from '../errors.js';
import { MAX_IMAGE_SIDE } from '../restoration/limits.js';
import { writeFileAtomic } from './atomicWrite.js';
import { readInputFile } from './inputFile.js';

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

/** A PNG's bytes as grey values in [-1, 1] (luminance of RGB; alpha ignored), row-major. Call pngHeader first. */
export function decodePngGrey(bytes: Uint8Array, path: string): { width: number; height: number; pixels: Float32Array } {
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
  const pixels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [png.data[4 * i], png.data[4 * i + 1], png.data[4 * i + 2]];
    pixels[i] = ((0.299 * r + 0.587 * g + 0.114 * b) / 255) * 2 - 1;
  }
  return { width: png.width, height: png.height, pixels };
}

/** Reads a PNG file (a regular file under the size cap; header checked before decoding) as grey values in [-1, 1]. */
export async function readPngGrey(path: string): Promise<{ width: number; height: number; pixels: Float32Array }> {
  return decodePngGrey(await readInputFile(path, 'png'), path);
}

/** Inflates the IDAT chunks with an output cap (a small file must not inflate to gigabytes). */
function boundedInflate(bytes: Uint8Array, path: string, maxOutputLength: number): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  for (let o = 8; o + 8 <= bytes.length; ) {
    const len = dv.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    if (type === 'IDAT') parts.push(bytes.subarray(o + 8, Math.min(bytes.length, o + 8 + len)));
    o += 12 + len;
  }
  try {
    inflateSync(Buffer.concat(parts), { maxOutputLength });
  } catch (e) {
    throw new DeqirError('image-file', `${path} is not a readable PNG (its image data does not inflate to the size its header says: ${(e as Error).message})`);
  }
}

/** The 8-bit PNG of grey values in [-1, 1] (clipped): several images side by side, each pixel a scale x scale block. */
export function encodePngGrey(images: ArrayLike<number>[], width: number, height: number, scale = 1, gap = 2): Uint8Array {
  images.forEach((img, k) => {
    for (let i = 0; i < img.length; i++)
      if (!Number.isFinite(img[i])) throw new NonFiniteError(`image ${k} of the PNG has a non-finite value (${img[i]}) at pixel ${i}; nothing was written`);
  });
  const W = images.length * width * scale + (images.length - 1) * gap;
  const png = new PNG({ width: W, height: height * scale });
  png.data.fill(255);
  images.forEach((img, k) => {
    for (let i = 0; i < height * scale; i++) {
      for (let j = 0; j < width * scale; j++) {
        const v = Math.round((Math.min(1, Math.max(-1, img[Math.floor(i / scale) * width + Math.floor(j / scale)])) + 1) * 127.5);
        const o = 4 * (i * W + k * (width * scale + gap) + j);
        png.data[o] = png.data[o + 1] = png.data[o + 2] = v;
        png.data[o + 3] = 255;
      }
    }
  });
  return PNG.sync.write(png);
}

/**
 * Writes grey values in [-1, 1] (clipped) as an 8-bit PNG, atomically (atomicWrite.ts): several
 * images side by side, each pixel drawn as a scale x scale block (small images stay visible).
 * Non-finite values are refused before anything is written.
 */
export async function writePngGrey(path: string, images: ArrayLike<number>[], width: number, height: number, scale = 1, gap = 2): Promise<void> {
  await writeFileAtomic(path, encodePngGrey(images, width, height, scale, gap));
}

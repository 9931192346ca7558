import { readFile, writeFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { DeqirError } from '../errors.js';

/** A PNG as grey values in [-1, 1] (luminance of RGB; alpha ignored), row-major. */
export async function readPngGrey(path: string): Promise<{ width: number; height: number; pixels: Float32Array }> {
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new DeqirError('image-file', `cannot read ${path}: ${e.code ?? e.message}`);
  });
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
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

/**
 * Writes grey values in [-1, 1] (clipped) as an 8-bit PNG: several images side by side, each pixel
 * drawn as a scale x scale block (small images stay visible).
 */
export async function writePngGrey(path: string, images: ArrayLike<number>[], width: number, height: number, scale = 1, gap = 2): Promise<void> {
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
  await writeFile(path, PNG.sync.write(png));
}

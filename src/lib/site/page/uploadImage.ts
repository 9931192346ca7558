import { letterbox, letterboxColour, modelPixelsFromRgba, uploadNotice } from '../uploadPixels.js';

/**
 * A reader's PNG/JPEG as the model's input, values in [-1, 1], of the prior's shape: 28x28 grey for
 * Fashion-MNIST (light backgrounds inverted), 32x32 RGB for emoji (on the training data's mid grey).
 * The browser decodes and scales the image; uploadPixels.ts does the rest (and says what was done).
 */
export interface UploadedImage {
  pixels: Float32Array;
  notice: string;
}

export const ACCEPTED_TYPES = ['image/png', 'image/jpeg'];

export async function imageFileToPixels(file: File, shape: readonly number[] = [28, 28, 1]): Promise<UploadedImage> {
  if (file.type && !ACCEPTED_TYPES.includes(file.type))
    throw new Error(`“${file.name}” is ${file.type}; please choose a PNG or JPEG image`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`“${file.name}” could not be decoded as an image (is it a valid PNG or JPEG?)`);
  }
  const size = shape[0];
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d')!;
  const [r, g, b] = letterboxColour(shape[2]);
  ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
  ctx.fillRect(0, 0, size, size);
  const drawn = letterbox(bitmap.width, bitmap.height, size);
  // drawImage composites transparent pixels onto the fill in sRGB, as a browser shows the PNG.
  ctx.drawImage(bitmap, drawn.x, drawn.y, drawn.w, drawn.h);
  const { pixels, inverted } = modelPixelsFromRgba(ctx.getImageData(0, 0, size, size).data, shape, drawn);
  const notice = uploadNotice(bitmap.width, bitmap.height, shape, inverted);
  bitmap.close();
  return { pixels, notice };
}

/**
 * A reader's PNG/JPEG as the model's input: 28x28, one grey channel, values in [-1, 1]. Fashion-MNIST
 * items are light on a black background, so an image with a light border is inverted (and we say so).
 */
export interface UploadedImage {
  pixels: Float32Array;
  notice: string;
}

export const ACCEPTED_TYPES = ['image/png', 'image/jpeg'];

export async function imageFileToPixels(file: File, size = 28): Promise<UploadedImage> {
  if (file.type && !ACCEPTED_TYPES.includes(file.type))
    throw new Error(`“${file.name}” is ${file.type}; please choose a PNG or JPEG image`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`“${file.name}” could not be decoded as an image (is it a valid PNG or JPEG?)`);
  }
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d')!;
  // Fit the whole image, centred, on black: cropping could cut the object off.
  const scale = Math.min(size / bitmap.width, size / bitmap.height);
  const w = bitmap.width * scale;
  const h = bitmap.height * scale;
  ctx.fillStyle = 'black';
  ctx.fillRect(0, 0, size, size);
  const grey = new Float32Array(size * size);
  ctx.drawImage(bitmap, (size - w) / 2, (size - h) / 2, w, h);
  const rgba = ctx.getImageData(0, 0, size, size).data;
  for (let i = 0; i < size * size; i++) grey[i] = (0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]) / 255;
  const border = borderMean(grey, size, (size - w) / 2, (size - h) / 2);
  const invert = border > 0.5;
  const pixels = grey.map((v) => (invert ? 1 - v : v) * 2 - 1);
  const notice =
    `Your ${bitmap.width}×${bitmap.height} image was converted to ${size}×${size} grayscale, the model's size and channels` +
    (invert ? ', and inverted because its background is light (Fashion-MNIST items are light on black).' : '.');
  bitmap.close();
  return { pixels, notice };
}

/** Mean grey of the outermost ring of the drawn image area (ignoring the letterbox). */
function borderMean(g: Float32Array, size: number, padX: number, padY: number): number {
  const x0 = Math.ceil(padX);
  const y0 = Math.ceil(padY);
  const x1 = size - 1 - x0;
  const y1 = size - 1 - y0;
  let s = 0;
  let n = 0;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++)
      if (y === y0 || y === y1 || x === x0 || x === x1) {
        s += g[y * size + x];
        n++;
      }
  return n ? s / n : 0;
}

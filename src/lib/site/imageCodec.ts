/**
 * Images for figures as base64 of 8-bit grey levels: values in [-1, 1] map to 0..255 (clipped).
 * Quantising to what a screen shows keeps precomputed trajectory grids small.
 */
export function encodeImage(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.round((Math.min(1, Math.max(-1, values[i])) + 1) * 127.5);
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin);
}

export function decodeImage(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

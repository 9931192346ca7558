import { DeqirError } from '../errors.js';

/**
 * IDX files (the MNIST / Fashion-MNIST container, http://yann.lecun.com/exdb/mnist/):
 * magic 0x00 0x00 <type> <ndims>, then ndims big-endian u32 sizes, then the values.
 * Only unsigned bytes (type 0x08) are needed here.
 */
export interface IdxArray {
  readonly shape: number[];
  readonly data: Uint8Array;
}

export function parseIdx(bytes: Uint8Array, what = 'IDX data'): IdxArray {
  const bad = (m: string): never => {
    throw new DeqirError('dataset', `${what}: ${m}`);
  };
  if (bytes.length < 4) bad(`only ${bytes.length} bytes, not an IDX file`);
  if (bytes[0] !== 0 || bytes[1] !== 0) bad('bad magic number (not an IDX file; gzipped data must be gunzipped first)');
  if (bytes[2] !== 0x08) bad(`element type 0x${bytes[2].toString(16)} is not unsigned byte (0x08)`);
  const nd = bytes[3];
  if (bytes.length < 4 + 4 * nd) bad('header truncated');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: nd }, (_, i) => dv.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * nd;
  if (bytes.length - start !== count)
    bad(`header promises ${count} values of shape [${shape}] but the file has ${bytes.length - start} (truncated or corrupted)`);
  return { shape, data: bytes.subarray(start) };
}

/** Encodes unsigned bytes as an IDX file (used for the shipped benchmark subset). */
export function encodeIdx(shape: readonly number[], data: Uint8Array): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`encodeIdx: ${data.length} values for shape [${shape}]`);
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const dv = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((d, i) => dv.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}

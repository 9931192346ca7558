import { DeqirError } from '../../errors.js';
import { sha256Hex } from './sha256.js';

/**
 * A safetensors-compatible container (https://github.com/huggingface/safetensors):
 *   8 bytes  little-endian u64 N = header length
 *   N bytes  JSON header {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {..}}
 *   rest     tensor bytes, little-endian float32, offsets relative to the start of this section
 * Our files add to __metadata__ (string values, as the format requires): `format`
 * ('deqir-weights'), `format_version` and `sha256` of the data section, so that any other
 * safetensors reader still opens them and ours can detect corruption.
 */

const WEIGHTS_FORMAT = 'deqir-weights';
const WEIGHTS_FORMAT_VERSION = '1';

export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface DecodedWeights {
  readonly tensors: Map<string, NamedArray>;
  /** User metadata (format fields removed). */
  readonly metadata: Record<string, string>;
}

function fail(msg: string): never {
  throw new DeqirError('model-file', `weight file: ${msg}`);
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Copies float32 values to little-endian bytes (a plain copy on little-endian machines). */
function floatsToLE(src: Float32Array, dst: Uint8Array): void {
  if (LITTLE_ENDIAN) {
    dst.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
    return;
  }
  const dv = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  for (let i = 0; i < src.length; i++) dv.setFloat32(4 * i, src[i], true);
}

function floatsFromLE(src: Uint8Array): Float32Array {
  if (LITTLE_ENDIAN) return new Float32Array(src.slice().buffer); // copy: alignment + ownership
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const out = new Float32Array(src.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(4 * i, true);
  return out;
}

export async function encodeWeights(
  tensors: readonly NamedArray[],
  metadata: Record<string, string> = {},
): Promise<Uint8Array> {
  let offset = 0;
  const entries: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const t of tensors) {
    if (t.name === '__metadata__' || seen.has(t.name)) fail(`duplicate or reserved tensor name '${t.name}'`);
    seen.add(t.name);
    if (t.data.length !== size(t.shape))
      fail(`tensor '${t.name}' has ${t.data.length} values but shape [${t.shape}]`);
    entries[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * t.data.length] };
    offset += 4 * t.data.length;
  }
  const data = new Uint8Array(offset);
  let o = 0;
  for (const t of tensors) {
    floatsToLE(t.data, data.subarray(o, o + 4 * t.data.length));
    o += 4 * t.data.length;
  }
  const meta = {
    ...metadata,
    format: WEIGHTS_FORMAT,
    format_version: WEIGHTS_FORMAT_VERSION,
    sha256: await sha256Hex(data),
  };
  let json = JSON.stringify({ __metadata__: meta, ...entries });
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8); // pad so tensor data starts 8-aligned
  const header = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Parses and fully validates a file; throws DeqirError('model-file') saying what is wrong. */
export async function decodeWeights(bytes: Uint8Array): Promise<DecodedWeights> {
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length (truncated?)`);
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > bytes.length - 8)
    fail(`header says ${n} header bytes but the file has only ${bytes.length - 8} after the length (truncated?)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message}); not a safetensors file or corrupted`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const rawMeta = (header.__metadata__ ?? {}) as Record<string, unknown>;
  const { format, format_version: version, sha256, ...metadata } = rawMeta as Record<string, string>;
  if (format !== WEIGHTS_FORMAT) fail(`__metadata__.format is '${format}', expected '${WEIGHTS_FORMAT}'`);
  if (version !== WEIGHTS_FORMAT_VERSION)
    fail(`format_version '${version}' is not supported (this reader knows '${WEIGHTS_FORMAT_VERSION}')`);
  const data = bytes.subarray(8 + n);
  const entries = Object.entries(header).filter(([k]) => k !== '__metadata__') as [string, HeaderEntry][];
  // Offsets must tile the data section exactly: no gaps, overlaps or trailing bytes.
  const sorted = [...entries].sort((a, b) => (a[1]?.data_offsets?.[0] ?? 0) - (b[1]?.data_offsets?.[0] ?? 0));
  let expectedBegin = 0;
  const tensors = new Map<string, NamedArray>();
  for (const [name, e] of sorted) {
    if (typeof e !== 'object' || e === null) fail(`header entry '${name}' is not an object`);
    if (e.dtype !== 'F32') fail(`tensor '${name}' has dtype ${e.dtype}; only F32 is supported`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0))
      fail(`tensor '${name}' has an invalid shape ${JSON.stringify(e.shape)}`);
    const [b, end] = e.data_offsets ?? [];
    if (b !== expectedBegin || end - b !== 4 * size(e.shape))
      fail(`tensor '${name}' has data_offsets [${b}, ${end}], expected [${expectedBegin}, ${expectedBegin + 4 * size(e.shape)}] for shape [${e.shape}]`);
    if (end > data.length)
      fail(`tensor '${name}' ends at byte ${end} of the data section but it has only ${data.length} bytes (truncated?)`);
    expectedBegin = end;
  }
  if (expectedBegin !== data.length)
    fail(`data section has ${data.length} bytes but the tensors cover ${expectedBegin} (trailing bytes or truncated)`);
  const actual = await sha256Hex(data);
  if (actual !== sha256) fail(`sha256 mismatch: header says ${sha256}, data hashes to ${actual} (corrupted file)`);
  for (const [name, e] of entries) {
    const [b, end] = e.data_offsets;
    tensors.set(name, { name, shape: e.shape, data: floatsFromLE(data.subarray(b, end)) });
  }
  for (const [k, v] of Object.entries(metadata))
    if (typeof v !== 'string') fail(`__metadata__.${k} must be a string`);
  return { tensors, metadata };
}

/** Checks that a decoded file holds exactly the expected tensors with the expected shapes. */
export function checkTensorSet(
  tensors: Map<string, NamedArray>,
  expected: readonly { name: string; shape: readonly number[] }[],
): void {
  const names = new Set(expected.map((e) => e.name));
  const missing = expected.filter((e) => !tensors.has(e.name)).map((e) => e.name);
  const extra = [...tensors.keys()].filter((k) => !names.has(k));
  if (missing.length) fail(`missing tensors: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` (+${missing.length - 5} more)` : ''}`);
  if (extra.length) fail(`unexpected tensors: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ` (+${extra.length - 5} more)` : ''}`);
  for (const e of expected) {
    const got = tensors.get(e.name)!.shape;
    if (got.length !== e.shape.length || got.some((d, i) => d !== e.shape[i]))
      fail(`tensor '${e.name}' has shape [${got}], the model expects [${e.shape}]`);
  }
}

import { DeqirError } from '../../errors.js';

/**
 * SHA-256 as lowercase hex through Web Crypto, which both Node >= 20 (globalThis.crypto) and
 * browsers provide. Browsers expose crypto.subtle only in secure contexts (https, localhost).
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle)
    throw new DeqirError(
      'model-file',
      'cannot verify the weight file: crypto.subtle is unavailable (serve the page over https or localhost)',
    );
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SM3 (GB/T 32905) digests through node:crypto (OpenSSL 3 ships it). */
import * as crypto from 'node:crypto';
import { createHash, type Hash } from 'node:crypto';

/** One-shot hashing (node ≥ 20.12) skips building a Hash object: it matters once per exchange call. */
const oneShot = (crypto as { hash?: (alg: string, data: string | Uint8Array, enc: 'hex') => string }).hash;

export function sm3Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot('sm3', data, 'hex') : createHash('sm3').update(data).digest('hex');
}

/** An incremental SM3 digest for streams (files, exports). */
export function sm3Stream(): Hash {
  return createHash('sm3');
}

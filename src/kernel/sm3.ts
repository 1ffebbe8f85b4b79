/** SM3 (GB/T 32905) digests through node:crypto (OpenSSL 3 ships it). */
import { createHash, type Hash } from 'node:crypto';

export function sm3Hex(data: string | Uint8Array): string {
  return createHash('sm3').update(data).digest('hex');
}

/** An incremental SM3 digest for streams (files, exports). */
export function sm3Stream(): Hash {
  return createHash('sm3');
}

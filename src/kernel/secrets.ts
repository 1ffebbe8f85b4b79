/**
 * Secrets at rest (source passwords, webhook secrets): SM4-CTR encryption with an HMAC-SM3 tag over
 * IV and ciphertext (encrypt-then-MAC; node's OpenSSL has no SM4-GCM). Keys are derived from the
 * node's 128-bit key with SM3, one for encryption and one for the tag.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError } from './errors.js';
import { sm3Hex } from './sm3.js';

const PREFIX = 'sm4ctr-hsm3';

export class SecretBox {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  /** @param keyHex 32 hexadecimal characters (128 bits). */
  constructor(keyHex: string) {
    if (!/^[0-9a-fA-F]{32}$/.test(keyHex)) throw new Error('SecretBox: the key must be 32 hex characters');
    this.encKey = Buffer.from(sm3Hex(`govshare-enc:${keyHex.toLowerCase()}`), 'hex').subarray(0, 16);
    this.macKey = Buffer.from(sm3Hex(`govshare-mac:${keyHex.toLowerCase()}`), 'hex');
  }

  seal(plain: string): string {
    const iv = randomBytes(16);
    const c = createCipheriv('sm4-ctr', this.encKey, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    const tag = createHmac('sm3', this.macKey).update(iv).update(ct).digest();
    return `${PREFIX}$${iv.toString('base64')}$${ct.toString('base64')}$${tag.toString('base64')}`;
  }

  open(sealed: string): string {
    const [prefix, ivB, ctB, tagB] = sealed.split('$');
    if (prefix !== PREFIX || !ivB || ctB === undefined || !tagB) throw this.broken();
    const iv = Buffer.from(ivB, 'base64');
    const ct = Buffer.from(ctB, 'base64');
    const tag = Buffer.from(tagB, 'base64');
    const expected = createHmac('sm3', this.macKey).update(iv).update(ct).digest();
    if (tag.length !== expected.length || !timingSafeEqual(tag, expected)) throw this.broken();
    const d = createDecipheriv('sm4-ctr', this.encKey, iv);
    return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
  }

  private broken(): DomainError {
    return new DomainError('INTERNAL', {
      zh: '密文无法解密：数据被篡改或密钥不一致',
      en: 'A stored secret cannot be opened: tampered, or the key changed',
    });
  }
}

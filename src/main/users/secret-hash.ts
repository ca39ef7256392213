import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt from node:crypto. The parameters are stored beside each hash, so they can be raised
// later without invalidating secrets set before. N=2^14, r=8 is the interactive-login setting
// of the scrypt paper (about 0.1 s on a busy 2-core machine); a stolen hash is also behind the
// encrypted store and the per-device key.
export type SecretHash = { algo: 'scrypt'; n: number; r: number; p: number; salt: string; hash: string };

const N = 2 ** 14;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

const derive = (secret: string, salt: Buffer, n: number, r: number, p: number) =>
  new Promise<Buffer>((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, KEY_BYTES, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });

export async function hashSecret(secret: string): Promise<SecretHash> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, N, R, P);
  return { algo: 'scrypt', n: N, r: R, p: P, salt: salt.toString('base64'), hash: key.toString('base64') };
}

// Constant-time compare of the derived key; a malformed stored record never matches.
export async function verifySecret(secret: string, stored: SecretHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  if (stored.algo !== 'scrypt' || expected.length !== KEY_BYTES) return false;
  const key = await derive(secret, Buffer.from(stored.salt, 'base64'), stored.n, stored.r, stored.p);
  return timingSafeEqual(key, expected);
}

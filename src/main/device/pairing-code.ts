import { createHash } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so a code read aloud or typed is hard to get wrong.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 10;

/*
 * The code a new device shows and an admin types on an enrolled one: 50 bits of the digest of
 * the device id and its public key. It names the pairing request to approve; a request forged
 * by a server would need another key with the same 50 bits, which is far beyond a join's
 * window of minutes.
 */
export function pairingCode(deviceId: string, publicKey: string): string {
  const digest = createHash('sha256').update(`consentdesk/pairing/v1\n${deviceId}\n${publicKey}`, 'utf8').digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < CODE_CHARS) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length === CODE_CHARS) break;
  }
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

// What a person typed, in the form pairingCode gives: case, spaces and dashes ignored, and the
// letters Crockford reads as digits (O → 0, I and L → 1) taken as those. Null when it cannot be one.
export function normalisePairingCode(typed: string): string | null {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (plain.length !== CODE_CHARS || [...plain].some((c) => !ALPHABET.includes(c))) return null;
  return `${plain.slice(0, 5)}-${plain.slice(5)}`;
}

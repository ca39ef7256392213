import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/*
 * Files beside the database that hold personal data (the contacts start page, import spools,
 * the saved history index)
 * are sealed with keys derived from the database key, one per purpose (HKDF-SHA-256), so the
 * data folder holds no name or number in the clear and no key is used for two schemes.
 */
export type SealPurpose = 'start-page' | 'import-spool' | 'history-index';

export function deriveFileKey(databaseKey: Buffer, purpose: SealPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', databaseKey, Buffer.alloc(0), `consent-desk/${purpose}`, 32));
}

const SEALED_MAGIC = Buffer.from('CDS1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

// AES-256-GCM: the whole file at once, authenticated (a changed byte is a refusal, not garbage).
export function sealBytes(key: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([SEALED_MAGIC, iv, cipher.getAuthTag(), body]);
}

// Null for anything that is not a file sealed with this key (an old plain file, damage, another key).
export function openSealedBytes(key: Buffer, sealed: Buffer): Buffer | null {
  const head = SEALED_MAGIC.length;
  if (sealed.length < head + IV_BYTES + TAG_BYTES || !sealed.subarray(0, head).equals(SEALED_MAGIC)) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(head, head + IV_BYTES));
    decipher.setAuthTag(sealed.subarray(head + IV_BYTES, head + IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(head + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

// The same as openSealedBytes for a file on disk, read in chunks and deciphered into one buffer
// of the plain size: a large file (the saved history index, ~90 MB at a million events) is not
// held twice more (the sealed bytes and a concatenated copy) while it opens.
export function openSealedFile(key: Buffer, path: string): Buffer | null {
  const head = SEALED_MAGIC.length + IV_BYTES + TAG_BYTES;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < head) return null;
    const prefix = Buffer.alloc(head);
    readSync(fd, prefix, 0, head, 0);
    if (!prefix.subarray(0, SEALED_MAGIC.length).equals(SEALED_MAGIC)) return null;
    const decipher = createDecipheriv('aes-256-gcm', key, prefix.subarray(SEALED_MAGIC.length, SEALED_MAGIC.length + IV_BYTES));
    decipher.setAuthTag(prefix.subarray(SEALED_MAGIC.length + IV_BYTES, head));
    const plain = Buffer.allocUnsafe(size - head);
    const chunk = Buffer.allocUnsafe(Math.min(8 << 20, Math.max(1, size - head)));
    let at = 0;
    while (at < plain.length) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, plain.length - at), head + at);
      if (n === 0) return null;
      const out = decipher.update(chunk.subarray(0, n));
      out.copy(plain, at);
      at += n;
    }
    try {
      decipher.final();
    } catch {
      return null;
    }
    return plain;
  } finally {
    closeSync(fd);
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';

// Meta signs every webhook POST: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
// body, keyed with the app secret>. The check runs on the bytes received, before any
// parsing, and compares in constant time so the answer time says nothing about how much
// of a forged signature was right.
const HEADER_FORM = /^sha256=([0-9a-fA-F]{64})$/;

export function signBody(body: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

export function hasValidSignature(body: Buffer, header: string | undefined, appSecret: string): boolean {
  const match = header === undefined ? null : HEADER_FORM.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].toLowerCase(), 'hex');
  const expected = createHmac('sha256', appSecret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// Signing: npx tsx bench/sync/signing.bench.ts [--events N] [--verify-events M]
// The cost per event of signing and of verifying an Ed25519 device signature, of signing
// and verifying one field of a change to users/settings/rules/types, and of publishing and
// checking one signed chain head, against the same run's
// cost of the SHA-256 event hash alone (what sealing and the integrity check already pay), as
// ratios; then a full verification (hash + signature) of M events, generated and checked in
// slices of 10,000 so a million fits in memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eventSignatureMessage, hashMatches, sealEvent, type UnsealedConsentEvent } from '../../src/main/consent/event-hash';
import { loadDeviceKeys, verifyDeviceSignature } from '../../src/main/device/device-keys';
import { createKeyFileSecretStore } from '../../src/main/secrets/secret-store';
import { changeMessage } from '../../src/main/sync/signed-changes';
import { chainHeadEntry, signChainHead } from '../../src/main/device/chain-heads';
import { deviceRecordMessage, type UnsignedDeviceRecord } from '../../src/main/device/device-records';
import { buildRegistry } from '../../src/main/device/device-registry';
import { chainHeadVerdict } from '../../src/main/sync/arrival-chain-heads';
import type { ConsentEvent } from '../../src/shared/domain';

if (process.argv.includes('--help')) {
  console.log('npx tsx bench/sync/signing.bench.ts [--events N (default 20000)] [--verify-events M (default 100000; the issue asks 1000000)]');
  process.exit(0);
}
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const EVENTS = arg('--events', 20_000);
const VERIFY_EVENTS = arg('--verify-events', 100_000);
const SLICE = 10_000;

const dir = mkdtempSync(join(tmpdir(), 'consent-desk-signing-bench-'));
const keys = loadDeviceKeys(dir, createKeyFileSecretStore(dir));
const at = Date.parse('2026-01-01T00:00:00Z');
const unsealed = (n: number): UnsealedConsentEvent => ({
  id: `ev-${n}`, contactId: `c-${n % 5000}`, typeId: 't-1', status: n % 3 ? 'subscribed' : 'unsubscribed', previousStatus: 'not_specified',
  source: 'manual', legalBasis: 'consent_with_notice', explanation: `row ${n}`, actor: { kind: 'user', id: 'u-1', name: 'Bench' },
  evidence: { row: n }, occurredAt: new Date(at + n * 1000).toISOString(), recordedAt: new Date(at + n * 1000).toISOString(),
  deviceId: 'dev-bench', seq: n + 1, basedOn: '',
});

const perEvent = (label: string, count: number, run: (n: number) => unknown): number => {
  const start = performance.now();
  for (let n = 0; n < count; n++) run(n);
  const us = ((performance.now() - start) * 1000) / count;
  console.log(`${label.padEnd(44)} ${us.toFixed(2)} µs/event`);
  return us;
};

const inputs = Array.from({ length: EVENTS }, (_, n) => unsealed(n));
let prev = '';
const sealedUnsigned: ConsentEvent[] = [];
const hashUs = perEvent('seal, SHA-256 hash only (baseline)', EVENTS, (n) => {
  const e = sealEvent(inputs[n] as UnsealedConsentEvent, prev);
  prev = e.hash;
  sealedUnsigned.push(e);
});
prev = '';
const sealed: ConsentEvent[] = [];
const signUs = perEvent('seal and sign (hash + Ed25519)', EVENTS, (n) => {
  const e = sealEvent(inputs[n] as UnsealedConsentEvent, prev, keys.sign);
  prev = e.hash;
  sealed.push(e);
});
const checkHashUs = perEvent('check the hash only (baseline)', EVENTS, (n) => hashMatches(sealed[n] as ConsentEvent));
let bad = 0;
const verifyUs = perEvent('check hash and signature', EVENTS, (n) => {
  const e = sealed[n] as ConsentEvent;
  if (!hashMatches(e) || !verifyDeviceSignature(keys.publicKey, eventSignatureMessage(e.hash), e.sig)) bad += 1;
});
const fieldSigs = Array.from({ length: EVENTS }, (_, n) => keys.sign(changeMessage('users', `u-${n}`, 'role', 'field_agent', `2026-01-01T00:00:00.000Z|dev-bench`, 'u-admin')));
const fieldSignUs = perEvent('sign one field of a change', EVENTS, (n) => keys.sign(changeMessage('users', `u-${n}`, 'role', 'field_agent', `2026-01-01T00:00:00.000Z|dev-bench`, 'u-admin')));
const fieldVerifyUs = perEvent('verify one field of a change', EVENTS, (n) =>
  verifyDeviceSignature(keys.publicKey, changeMessage('users', `u-${n}`, 'role', 'field_agent', `2026-01-01T00:00:00.000Z|dev-bench`, 'u-admin'), fieldSigs[n]));
console.log(`ratios to the hash alone (same run): sign ${(signUs / hashUs).toFixed(2)}×, verify ${(verifyUs / checkHashUs).toFixed(2)}×; field sign ${fieldSignUs.toFixed(1)} µs, verify ${fieldVerifyUs.toFixed(1)} µs`);
if (bad > 0) throw new Error(`${bad} events failed verification`);

// Signed chain heads: publishing one (sign, and the audit entry it travels in) and checking one
// that arrives (the entry's shape and id, then the signature against the enrolled key), per head.
const HEAD_DEVICE = 'dev-00000000000000be';
const rootClaim: UnsignedDeviceRecord = {
  v: 1, kind: 'enrol', deviceId: HEAD_DEVICE, publicKey: keys.publicKey, name: 'bench', legacyUpToSeq: 0, upToSeq: 0,
  at: '2026-01-01T00:00:00.000Z', signer: { deviceId: HEAD_DEVICE, userId: 'u-admin', userName: 'Bench' },
};
const registry = buildRegistry([{ ...rootClaim, sig: keys.sign(deviceRecordMessage(rootClaim)) }], { deviceId: HEAD_DEVICE, publicKey: keys.publicKey });
const headEntries = sealed.map((e, n) => chainHeadEntry(signChainHead({ v: 1, deviceId: HEAD_DEVICE, seq: n + 1, hash: e.hash, at: e.recordedAt }, keys.sign)));
const headPublishUs = perEvent('publish a chain head (sign + entry)', EVENTS, (n) =>
  chainHeadEntry(signChainHead({ v: 1, deviceId: HEAD_DEVICE, seq: n + 1, hash: (sealed[n] as ConsentEvent).hash, at: (sealed[n] as ConsentEvent).recordedAt }, keys.sign)));
const headCheckUs = perEvent('check an arriving chain head', EVENTS, (n) => {
  if (!chainHeadVerdict(headEntries[n] as unknown as Record<string, unknown>, registry).ok) bad += 1;
});
console.log(`chain heads: publish ${headPublishUs.toFixed(1)} µs (${(headPublishUs / hashUs).toFixed(2)}× an event's seal), check ${headCheckUs.toFixed(1)} µs (${(headCheckUs / checkHashUs).toFixed(2)}× an event's hash check) per head`);
if (bad > 0) throw new Error(`${bad} heads failed their check`);

// Full verification of VERIFY_EVENTS events: sealed and signed in slices (not timed), each
// slice then verified (timed), hash chain link included.
let verifyMs = 0;
let hashOnlyMs = 0;
let last = '';
for (let from = 0; from < VERIFY_EVENTS; from += SLICE) {
  const slice: ConsentEvent[] = [];
  for (let n = from; n < Math.min(VERIFY_EVENTS, from + SLICE); n++) {
    const e = sealEvent(unsealed(n), last, keys.sign);
    last = e.hash;
    slice.push(e);
  }
  let t = performance.now();
  for (const e of slice) if (!hashMatches(e)) bad += 1;
  hashOnlyMs += performance.now() - t;
  t = performance.now();
  let link = slice[0]?.prevHash ?? '';
  for (const e of slice) {
    if (e.prevHash !== link || !hashMatches(e) || !verifyDeviceSignature(keys.publicKey, eventSignatureMessage(e.hash), e.sig)) bad += 1;
    link = e.hash;
  }
  verifyMs += performance.now() - t;
}
console.log(
  `full verification of ${VERIFY_EVENTS.toLocaleString('en')} events (link + hash + signature): ${(verifyMs / 1000).toFixed(1)} s ` +
    `(${((verifyMs * 1000) / VERIFY_EVENTS).toFixed(1)} µs/event); hash alone ${(hashOnlyMs / 1000).toFixed(1)} s, ratio ${(verifyMs / hashOnlyMs).toFixed(2)}×`,
);
if (bad > 0) throw new Error(`${bad} events failed verification`);
console.log('sync throughput before/after signing: not measured here (see bench/sync/sync.bench.ts; not run with and without signing in one run)');
rmSync(dir, { recursive: true, force: true });

import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  chainHeadEntry, chainHeadId, chainHeadMessage, checkChainHead, headOfEntry, newestHeads, signChainHead, type UnsignedChainHead,
} from '../../../src/main/device/chain-heads';
import { deviceRecordMessage, type DeviceRecord, type UnsignedDeviceRecord } from '../../../src/main/device/device-records';
import { buildRegistry } from '../../../src/main/device/device-registry';
import { judgeChainHeads, type ArrivedHead, type HeldChain } from '../../../src/main/integrity/chain-tails';
import { chainHeadVerdict } from '../../../src/main/sync/arrival-chain-heads';

type Key = { deviceId: string; publicKey: string; sign(message: string): string };
let n = 0x100;
function deviceKey(): Key {
  const pair = generateKeyPairSync('ed25519');
  n += 1;
  return {
    deviceId: `dev-${n.toString(16).padStart(16, '0')}`,
    publicKey: String(pair.publicKey.export({ format: 'jwk' }).x),
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), pair.privateKey).toString('base64url'),
  };
}

const record = (signer: Key, subject: Key, over: Partial<UnsignedDeviceRecord> = {}): DeviceRecord => {
  const content: UnsignedDeviceRecord = {
    v: 1, kind: 'enrol', deviceId: subject.deviceId, publicKey: subject.publicKey, name: 'laptop', legacyUpToSeq: 0, upToSeq: 0,
    at: '2026-12-01T10:00:00.000Z', signer: { deviceId: signer.deviceId, userId: 'u1', userName: 'Ada' }, ...over,
  };
  return { ...content, sig: signer.sign(deviceRecordMessage(content)) };
};

const HASH = 'a'.repeat(64);
const headOf = (key: Key, seq: number, over: Partial<UnsignedChainHead> = {}) =>
  signChainHead({ v: 1, deviceId: key.deviceId, seq, hash: HASH, at: '2026-12-02T10:00:00.000Z', ...over }, key.sign);

describe('signed chain heads', () => {
  const root = deviceKey();
  const laptop = deviceKey();
  const stranger = deviceKey();
  const registry = buildRegistry([record(root, root), record(root, laptop)], { deviceId: root.deviceId, publicKey: root.publicKey });

  it('a head signed by its enrolled device verifies, travels as an audit entry and reads back', () => {
    const head = headOf(laptop, 7);
    expect(checkChainHead(head, registry)).toEqual({ ok: true });
    const entry = chainHeadEntry(head);
    expect(entry.id).toBe(chainHeadId(laptop.deviceId, 7));
    expect(headOfEntry(entry)).toEqual({ head });
    expect(chainHeadVerdict(entry as unknown as Record<string, unknown>, registry)).toEqual({ ok: true });
  });

  it('refuses a changed seq or hash, another device\'s key, an unknown device (which waits), and a head past a revocation', () => {
    const head = headOf(laptop, 7);
    expect(checkChainHead({ ...head, seq: 9 }, registry)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(checkChainHead({ ...head, hash: 'b'.repeat(64) }, registry)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(checkChainHead({ ...headOf(root, 7), deviceId: laptop.deviceId }, registry)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(checkChainHead(headOf(stranger, 3), registry)).toMatchObject({ ok: false, reason: 'unknown_device', waitingFor: `device:${stranger.deviceId}` });
    const revoked = buildRegistry(
      [record(root, root), record(root, laptop), record(root, laptop, { kind: 'revoke', upToSeq: 5, at: '2026-12-03T00:00:00.000Z' })],
      { deviceId: root.deviceId, publicKey: root.publicKey },
    );
    expect(checkChainHead(headOf(laptop, 5), revoked)).toEqual({ ok: true });
    expect(checkChainHead(headOf(laptop, 6), revoked)).toMatchObject({ ok: false, reason: 'device_revoked' });
    expect(checkChainHead(headOf(laptop, 4, { at: '2026-12-04T00:00:00.000Z' }), revoked)).toMatchObject({ ok: false, reason: 'device_revoked' });
  });

  it('keeps malformed and misfiled head entries out: no signature, junk fields, wrong id, filed by another device', () => {
    const head = headOf(laptop, 7);
    const entry = chainHeadEntry(head) as unknown as Record<string, unknown>;
    const { sig: _sig, ...unsigned } = head;
    const cases: Array<Record<string, unknown>> = [
      { ...entry, details: { head: unsigned } },
      { ...entry, details: { head: { ...head, extra: 1 } } },
      { ...entry, details: { head: { ...head, seq: '7' } } },
      { ...entry, details: { head: { ...head, seq: -1 } } },
      { ...entry, details: null },
      { ...entry, id: chainHeadId(laptop.deviceId, 8) },
      { ...entry, deviceId: root.deviceId },
    ];
    for (const doc of cases) expect(chainHeadVerdict(doc, registry)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('signs a domain-separated message, so a head signature passes for nothing else', () => {
    expect(chainHeadMessage(headOf(laptop, 1)).startsWith('consentdesk/chain-head/v1\n')).toBe(true);
  });

  it('keeps the newest head of each device', () => {
    const heads = [headOf(laptop, 3), headOf(root, 2), headOf(laptop, 9), headOf(laptop, 5)];
    expect(newestHeads(heads).map((h) => [h.deviceId, h.seq])).toEqual([
      [root.deviceId, 2],
      [laptop.deviceId, 9],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
  });
});

describe('truncated tails', () => {
  const laptop = deviceKey();
  const chain = (heldUpTo: number, hashes: Record<number, string> = {}, aside: number[] = []): HeldChain => ({
    heldUpTo,
    hashAt: (seq) => hashes[seq],
    keptAside: (from, to) => aside.filter((s) => s >= from && s <= to).length,
  });
  const arrived = (seq: number, arrivedAt: number): ArrivedHead => ({ head: headOf(laptop, seq), arrivedAt });

  it('a chain that reaches its head is whole; one ahead of it is not yet arrived until a read to the end after the head', () => {
    expect(judgeChainHeads([arrived(5, 1000)], () => chain(5, { 5: HASH }), null).tails).toEqual([]);
    const waiting = judgeChainHeads([arrived(5, 1000)], () => chain(3), 900);
    expect(waiting.tails).toMatchObject([{ deviceId: laptop.deviceId, heldUpTo: 3, headSeq: 5, missingFrom: 4, missingTo: 5, state: 'not_yet_arrived', keptAside: 0 }]);
    expect(waiting.tails[0]?.message).toContain(`chain of device ${laptop.deviceId} ends at seq 3 but its signed head says 5: events 4..5 missing`);
    const withheld = judgeChainHeads([arrived(5, 1000)], () => chain(3), 1001);
    expect(withheld.tails).toMatchObject([{ state: 'withheld' }]);
    expect(withheld.tails[0]?.message).toContain('withheld');
  });

  it('an older head that arrived before the last read to the end makes the gap withheld even when a newer head just came', () => {
    const check = judgeChainHeads([arrived(4, 1000), arrived(8, 5000)], () => chain(2), 2000);
    expect(check.tails).toMatchObject([{ headSeq: 8, missingFrom: 3, state: 'withheld' }]);
    const newerOnly = judgeChainHeads([arrived(2, 1000), arrived(8, 5000)], () => chain(2), 2000);
    expect(newerOnly.tails).toMatchObject([{ state: 'not_yet_arrived' }]);
  });

  it('counts missing events that arrived and were kept aside, and reports a head naming another event than the one held', () => {
    const aside = judgeChainHeads([arrived(6, 1000)], () => chain(3, {}, [4, 5, 9]), null);
    expect(aside.tails[0]?.keptAside).toBe(2);
    expect(aside.tails[0]?.message).toContain('2 of them arrived and are kept aside');
    const forked = judgeChainHeads([arrived(6, 1000)], () => chain(6, { 6: 'c'.repeat(64) }), null);
    expect(forked.tails).toEqual([]);
    expect(forked.mismatches).toMatchObject([{ deviceId: laptop.deviceId, seq: 6, headHash: HASH, heldHash: 'c'.repeat(64) }]);
  });
});

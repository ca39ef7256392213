import { describe, expect, it } from 'vitest';
import { sealEvent } from '../../../src/main/consent/event-hash';
import { checkConsentEvent, checkShape, MAX_DOCUMENT_BYTES, type ChainView } from '../../../src/main/sync/arrival-checks';
import type { ConsentEvent } from '../../../src/shared/domain';

const event = (over: Partial<ConsentEvent> = {}, prevHash = ''): ConsentEvent =>
  sealEvent(
    {
      id: 'e1', contactId: 'c1', typeId: 't1', status: 'unsubscribed', previousStatus: 'not_specified', source: 'manual',
      legalBasis: '', explanation: 'stop', actor: { kind: 'user', id: 'u1', name: 'Ann' }, evidence: {},
      occurredAt: '2026-01-01T00:00:00.000Z', recordedAt: '2026-01-01T00:00:00.000Z', deviceId: 'dev-a', seq: 1, basedOn: '', ...over,
    },
    prevHash,
  );

const view = (held: ConsentEvent[], contacts = ['c1']): ChainView => ({
  eventAt: async (deviceId, seq) => held.find((e) => e.deviceId === deviceId && e.seq === seq),
  keptLinkAt: async () => undefined,
  contactExists: async (id) => contacts.includes(id),
});

const shape = (collection: Parameters<typeof checkShape>[0], doc: Record<string, unknown>) =>
  checkShape(collection, doc, JSON.stringify(doc).length);

describe('arrival checks', () => {
  it('a genuine event passes', async () => {
    const e = event();
    expect(shape('consent_events', e as unknown as Record<string, unknown>)).toEqual({ ok: true });
    expect(await checkConsentEvent(e, view([]))).toEqual({ ok: true });
  });

  it('"__proto__" as CouchDB delivers it (an own key after JSON.parse) is refused, at any depth', () => {
    const doc = JSON.parse('{"id":"c9","properties":{"a":[{"__proto__":{"role":"admin"}}]}}') as Record<string, unknown>;
    expect(shape('settings', doc)).toMatchObject({ ok: false, reason: 'forbidden_key', detail: expect.stringContaining('properties.a[0].__proto__') });
    expect(shape('settings', { id: 's1', value: { constructor: 1 } })).toMatchObject({ ok: false, reason: 'forbidden_key' });
  });

  it('malformed events are refused with the field named', () => {
    const { actor: _a, ...noActor } = event();
    expect(shape('consent_events', { ...noActor, seq: 'x' })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(shape('consent_events', { ...event(), status: 'maybe' })).toMatchObject({ ok: false, reason: 'malformed', detail: expect.stringContaining('status') });
    expect(shape('consent_events', { ...event(), extra: 1 })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(shape('users', { id: 'u1', name: 'x', role: 'owner', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' })).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('size is limited before anything is parsed', () => {
    expect(checkShape('consent_events', { id: 'x' }, MAX_DOCUMENT_BYTES + 1)).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('hash, seq, link and contact', async () => {
    const first = event();
    const second = event({ id: 'e2', seq: 2 }, first.hash);
    expect(await checkConsentEvent({ ...second, explanation: 'changed' }, view([first]))).toMatchObject({ reason: 'hash_mismatch' });
    expect(await checkConsentEvent(second, view([]))).toMatchObject({ reason: 'missing_previous', waitingFor: 'event:dev-a:1' });
    expect(await checkConsentEvent(second, view([first]))).toEqual({ ok: true });
    expect(await checkConsentEvent(event({ id: 'e2', seq: 2 }, 'f'.repeat(64)), view([first]))).toMatchObject({ reason: 'broken_link' });
    expect(await checkConsentEvent(event({ id: 'other' }), view([first]))).toMatchObject({ reason: 'seq_taken' });
    expect(await checkConsentEvent(event({ id: 'e1' }, 'a'.repeat(64)), view([]))).toMatchObject({ reason: 'broken_link' });
    expect(await checkConsentEvent(event({ contactId: 'ghost' }), view([]))).toMatchObject({ reason: 'missing_contact', waitingFor: 'contact:ghost' });
  });
});

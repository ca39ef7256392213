import { describe, expect, it } from 'vitest';
import { foldAll, foldConsent, isWellFormedEvent } from '../../../src/shared/consent/consent-fold';
import type { ConsentEvent } from '../../../src/shared/domain';

const ev = (id: string, status: ConsentEvent['status'], at: string, over: Partial<ConsentEvent> = {}): ConsentEvent => ({
  id, contactId: 'c1', typeId: 't1', status, previousStatus: 'not_specified', source: 'manual', legalBasis: '', explanation: '',
  actor: { kind: 'user', id: 'u', name: 'U' }, evidence: {}, occurredAt: at, recordedAt: at, deviceId: 'd1', seq: 1, basedOn: '',
  hash: '', prevHash: '', ...over,
});

describe('the fold never throws on bad data', () => {
  it('ill-formed events are left out; the genuine ones around them still count', () => {
    const bad = [
      { ...ev('b1', 'subscribed', '2026-01-03T00:00:00.000Z'), actor: undefined, seq: 'x' },
      { ...ev('b2', 'subscribed', '2026-01-04T00:00:00.000Z'), evidence: null },
      { ...ev('b3', 'subscribed', '2026-01-05T00:00:00.000Z'), status: 'yes' },
      null,
      'text',
    ] as unknown as ConsentEvent[];
    const events = [ev('g1', 'subscribed', '2026-01-01T00:00:00.000Z'), ...bad, ev('g2', 'unsubscribed', '2026-01-02T00:00:00.000Z')];
    expect(() => foldConsent(events)).not.toThrow();
    expect(foldConsent(events)).toMatchObject({ status: 'unsubscribed', lastEventId: 'g2' });
    for (const b of bad) expect(isWellFormedEvent(b)).toBe(false);
    expect([...foldAll(events.filter((e) => e !== null && typeof e === 'object')).values()][0]).toMatchObject({ status: 'unsubscribed' });
  });
});

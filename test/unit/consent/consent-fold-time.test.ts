import { describe, expect, it } from 'vitest';
import { foldConsent, isFutureDated, ordersBefore, orderTime, sortConsentEvents } from '../../../src/shared/consent/consent-fold';
import type { ConsentEvent } from '../../../src/shared/domain';
import { makeEvent } from './helpers/events';

const at = (iso: string) => new Date(iso).toISOString();
const recorded = (event: ConsentEvent, recordedAt: string): ConsentEvent => ({ ...event, recordedAt: at(recordedAt) });

describe('fold time rules (SPEC 2 "Time")', () => {
  it('a START dated two hours ahead does not beat a real STOP sent now', () => {
    const start = recorded(makeEvent({ id: 'a-start', status: 'subscribed', at: at('2026-01-01T14:00:00Z'), actor: 'contact' }), '2026-01-01T12:00:00Z');
    const stop = recorded(makeEvent({ id: 'b-stop', status: 'unsubscribed', at: at('2026-01-01T12:01:00Z'), actor: 'contact' }), '2026-01-01T12:01:00Z');
    expect(isFutureDated(start)).toBe(true);
    expect(start.occurredAt).toBe(at('2026-01-01T14:00:00Z'));
    expect(orderTime(start)).toBe(at('2026-01-01T12:00:00Z'));
    for (const events of [[start, stop], [stop, start]]) {
      expect(foldConsent(events)).toMatchObject({ status: 'unsubscribed', lastEventId: 'b-stop' });
    }
  });

  it.each([
    ['4 min 59 s ahead is within tolerance', '2026-01-01T12:04:59Z', false],
    ['exactly 5 min ahead is within tolerance', '2026-01-01T12:05:00Z', false],
    ['5 min 1 s ahead is future-dated', '2026-01-01T12:05:01Z', true],
    ['in the past is fine', '2025-12-31T12:00:00Z', false],
  ] as const)('%s', (_label, occurredAt, future) => {
    const event = recorded(makeEvent({ id: 'e', status: 'subscribed', at: at(occurredAt) }), '2026-01-01T12:00:00Z');
    expect(isFutureDated(event)).toBe(future);
    expect(orderTime(event)).toBe(future ? at('2026-01-01T12:00:00Z') : at(occurredAt));
  });

  it('an event with no recorded time (legacy) keeps its stated time', () => {
    const event = { ...makeEvent({ id: 'e', status: 'subscribed', at: at('2030-01-01T00:00:00Z') }), recordedAt: '' };
    expect(isFutureDated(event)).toBe(false);
  });

  it('at equal times an opt-out orders after an opt-in, whatever the ids, devices or input order', () => {
    const same = at('2026-01-01T12:00:00Z');
    const stop = makeEvent({ id: 'a', status: 'unsubscribed', at: same, actor: 'contact', deviceId: 'dev-z', seq: 9 });
    const start = makeEvent({ id: 'z', status: 'subscribed', at: same, actor: 'contact', deviceId: 'dev-a', seq: 1 });
    expect(sortConsentEvents([stop, start]).map((e) => e.id)).toEqual(['z', 'a']);
    expect(foldConsent([start, stop]).status).toBe('unsubscribed');
    expect(foldConsent([stop, start]).status).toBe('unsubscribed');
  });

  it('ordersBefore says when a change could not take effect over the latest event', () => {
    const stop = makeEvent({ id: 's', status: 'unsubscribed', at: at('2026-01-01T12:00:00Z'), actor: 'contact' });
    const behind = { occurredAt: at('2026-01-01T11:59:00Z'), recordedAt: at('2026-01-01T11:59:00Z'), status: 'subscribed' as const };
    const sameTime = { occurredAt: stop.occurredAt, recordedAt: stop.occurredAt, status: 'subscribed' as const };
    const after = { occurredAt: at('2026-01-01T12:00:01Z'), recordedAt: at('2026-01-01T12:00:01Z'), status: 'subscribed' as const };
    expect(ordersBefore(behind, stop)).toBe(true);
    expect(ordersBefore(sameTime, stop)).toBe(true);
    expect(ordersBefore(after, stop)).toBe(false);
  });
});

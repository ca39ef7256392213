import { describe, expect, it } from 'vitest';
import { consentKey, foldAll, foldConsent, sortConsentEvents } from '../../../src/shared/consent/consent-fold';
import type { ConsentEvent, ConsentStatus } from '../../../src/shared/domain';
import { ALL_WHATSAPP_TYPE_ID, makeEvent, seededRandom, shuffled } from './helpers/events';

const T = (minute: number): string => `2025-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('foldConsent: basics', () => {
  it('starts not specified', () => {
    expect(foldConsent([])).toEqual({ status: 'not_specified', lastEventId: '', ownOptOut: false, conflicts: [] });
  });

  it('takes the last event in time order', () => {
    const events = [
      makeEvent({ id: 'b', status: 'unsubscribed', at: T(2), basedOn: 'a' }),
      makeEvent({ id: 'a', status: 'subscribed', at: T(1) }),
    ];
    expect(foldConsent(events)).toMatchObject({ status: 'unsubscribed', lastEventId: 'b', ownOptOut: false });
  });

  it('orders by instant, not by text, when time zones differ', () => {
    const events = [
      makeEvent({ id: 'late', status: 'unsubscribed', at: '2025-03-01T11:30:00+01:00', basedOn: 'early' }),
      makeEvent({ id: 'early', status: 'subscribed', at: '2025-03-01T10:00:00Z' }),
    ];
    expect(foldConsent(events).lastEventId).toBe('late');
  });

  it('breaks time ties by status (opt-out last), then deviceId, then seq, then id', () => {
    const events = [
      makeEvent({ id: 'z', status: 'subscribed', at: T(1), deviceId: 'dev-b', seq: 1 }),
      makeEvent({ id: 'y', status: 'unsubscribed', at: T(1), deviceId: 'dev-a', seq: 9 }),
      makeEvent({ id: 'x', status: 'not_specified', at: T(1), deviceId: 'dev-a', seq: 2 }),
    ];
    expect(sortConsentEvents(events).map((e) => e.id)).toEqual(['x', 'z', 'y']);
  });

  it('counts a replicated duplicate once', () => {
    const a = makeEvent({ id: 'a', status: 'subscribed', at: T(1) });
    expect(foldConsent([a, a, { ...a }])).toMatchObject({ status: 'subscribed', lastEventId: 'a', conflicts: [] });
  });
});

describe('foldConsent: opt-out protection', () => {
  const optOut = makeEvent({ id: 'own-stop', status: 'unsubscribed', at: T(5), actor: 'contact', deviceId: 'dev-a' });

  it('own opt-out beats a concurrent subscribe that did not see it, and reports a conflict', () => {
    const unseen = makeEvent({ id: 'user-sub', status: 'subscribed', at: T(6), actor: 'user', deviceId: 'dev-b' });
    const result = foldConsent([unseen, optOut]);
    expect(result).toEqual({
      status: 'unsubscribed',
      lastEventId: 'own-stop',
      ownOptOut: true,
      conflicts: [{ overriddenEventId: 'user-sub', protectedOptOutId: 'own-stop' }],
    });
  });

  it('also protects against the same instant', () => {
    const unseen = makeEvent({ id: 'user-sub', status: 'subscribed', at: T(5), deviceId: 'dev-b' });
    expect(foldConsent([optOut, unseen]).status).toBe('unsubscribed');
  });

  it.each(['user', 'workflow', 'system'] as const)('protects against a %s actor', (actor) => {
    const unseen = makeEvent({ id: 'sub', status: 'subscribed', at: T(7), actor, deviceId: 'dev-b' });
    expect(foldConsent([optOut, unseen]).conflicts).toHaveLength(1);
  });

  it('a resubscribe that saw the opt-out wins', () => {
    const seen = makeEvent({ id: 'resub', status: 'subscribed', at: T(7), basedOn: 'own-stop', deviceId: 'dev-b' });
    expect(foldConsent([seen, optOut])).toEqual({ status: 'subscribed', lastEventId: 'resub', ownOptOut: false, conflicts: [] });
  });

  it('follows the basedOn chain through other events', () => {
    const mid = makeEvent({ id: 'note', status: 'unsubscribed', at: T(6), basedOn: 'own-stop', deviceId: 'dev-b' });
    const seen = makeEvent({ id: 'resub', status: 'subscribed', at: T(8), basedOn: 'note', deviceId: 'dev-c' });
    const result = foldConsent([seen, mid, optOut]);
    expect(result).toMatchObject({ status: 'subscribed', lastEventId: 'resub', conflicts: [] });
  });

  it('a chain that saw an older opt-out does not cover a newer one', () => {
    const resub = makeEvent({ id: 'resub1', status: 'subscribed', at: T(6), basedOn: 'own-stop' });
    const stop2 = makeEvent({ id: 'own-stop2', status: 'unsubscribed', at: T(7), actor: 'contact', basedOn: 'resub1' });
    const resub2 = makeEvent({ id: 'resub2', status: 'subscribed', at: T(8), basedOn: 'resub1', deviceId: 'dev-b' });
    const result = foldConsent([resub2, stop2, resub, optOut]);
    expect(result.status).toBe('unsubscribed');
    expect(result.conflicts).toEqual([{ overriddenEventId: 'resub2', protectedOptOutId: 'own-stop2' }]);
  });

  it('the contact can opt back in without having "seen" anything', () => {
    const start = makeEvent({ id: 'own-start', status: 'subscribed', at: T(6), actor: 'contact', deviceId: 'dev-b' });
    expect(foldConsent([start, optOut])).toMatchObject({ status: 'subscribed', conflicts: [] });
  });

  it('after the contact opts back in, an unseen user subscribe is not a conflict', () => {
    const start = makeEvent({ id: 'own-start', status: 'subscribed', at: T(6), actor: 'contact' });
    const sub = makeEvent({ id: 'user-sub', status: 'subscribed', at: T(7), deviceId: 'dev-b' });
    expect(foldConsent([sub, start, optOut])).toMatchObject({ status: 'subscribed', lastEventId: 'user-sub', conflicts: [] });
  });

  it('a subscribe older than the opt-out simply loses to it (no conflict)', () => {
    const earlier = makeEvent({ id: 'user-sub', status: 'subscribed', at: T(4), deviceId: 'dev-b' });
    expect(foldConsent([optOut, earlier])).toMatchObject({ status: 'unsubscribed', ownOptOut: true, conflicts: [] });
  });

  it('an unseen reset to not_specified is blocked too', () => {
    const reset = makeEvent({ id: 'reset', status: 'not_specified', at: T(6), deviceId: 'dev-b' });
    expect(foldConsent([reset, optOut])).toMatchObject({ status: 'unsubscribed', conflicts: [{ overriddenEventId: 'reset' }] });
  });

  it('undoing the resubscribe that lifted an own opt-out puts its protection back', () => {
    const resub = makeEvent({ id: 'csv:imp:2:mkt', status: 'subscribed', at: T(6), basedOn: 'own-stop', deviceId: 'dev-b' });
    const undo = { ...makeEvent({ id: 'csvundo:imp:2:mkt', status: 'unsubscribed', at: T(7), basedOn: 'csv:imp:2:mkt' }), evidence: { undoOf: 'imp' } };
    expect(foldConsent([undo, resub, optOut])).toEqual({ status: 'unsubscribed', lastEventId: 'csvundo:imp:2:mkt', ownOptOut: true, conflicts: [] });
    // So a later subscribe by someone who never saw the opt-out is held back again.
    const unseen = makeEvent({ id: 'late-sub', status: 'subscribed', at: T(8), deviceId: 'dev-c' });
    expect(foldConsent([unseen, undo, resub, optOut]).conflicts).toEqual([{ overriddenEventId: 'late-sub', protectedOptOutId: 'own-stop' }]);
  });

  it('an unsubscribe is no compensation without evidence.undoOf, nor one based on another event', () => {
    const resub = makeEvent({ id: 'resub', status: 'subscribed', at: T(6), basedOn: 'own-stop', deviceId: 'dev-b' });
    const plain = makeEvent({ id: 'user-unsub', status: 'unsubscribed', at: T(7), basedOn: 'resub' });
    expect(foldConsent([plain, resub, optOut]).ownOptOut).toBe(false);
    const other = makeEvent({ id: 'sub2', status: 'subscribed', at: T(7), basedOn: 'resub' });
    const undoOfOther = { ...makeEvent({ id: 'undo2', status: 'unsubscribed', at: T(8), basedOn: 'sub2' }), evidence: { undoOf: 'b1' } };
    expect(foldConsent([undoOfOther, other, resub, optOut])).toMatchObject({ status: 'unsubscribed', ownOptOut: false });
    // Without an opt-out before it, an undo creates no protection.
    const sub = makeEvent({ id: 'sub', status: 'subscribed', at: T(6) });
    const undo = { ...makeEvent({ id: 'undo', status: 'unsubscribed', at: T(7), basedOn: 'sub' }), evidence: { undoOf: 'b1' } };
    expect(foldConsent([undo, sub]).ownOptOut).toBe(false);
  });

  it('a user unsubscribe after an own opt-out keeps ownOptOut', () => {
    const again = makeEvent({ id: 'user-unsub', status: 'unsubscribed', at: T(6), deviceId: 'dev-b' });
    expect(foldConsent([again, optOut])).toMatchObject({ status: 'unsubscribed', lastEventId: 'user-unsub', ownOptOut: true });
  });

  it('a user opt-out is not protected', () => {
    const userStop = makeEvent({ id: 'user-stop', status: 'unsubscribed', at: T(5) });
    const sub = makeEvent({ id: 'sub', status: 'subscribed', at: T(6), deviceId: 'dev-b' });
    expect(foldConsent([sub, userStop])).toMatchObject({ status: 'subscribed', ownOptOut: false, conflicts: [] });
  });

  it('survives a basedOn cycle in corrupt data', () => {
    const a = makeEvent({ id: 'a', status: 'subscribed', at: T(6), basedOn: 'b' });
    const b = makeEvent({ id: 'b', status: 'subscribed', at: T(7), basedOn: 'a' });
    expect(foldConsent([a, b, optOut]).conflicts).toHaveLength(2);
  });
});

describe('foldConsent: channel flag', () => {
  const typeId = ALL_WHATSAPP_TYPE_ID;
  const flagSet = makeEvent({ id: 'own-flag', typeId, status: 'unsubscribed', at: T(1), actor: 'contact', source: 'platform_preference' });

  it('an unseen clear of the flag loses to the contact setting it', () => {
    const clear = makeEvent({ id: 'clear', typeId, status: 'not_specified', at: T(2), deviceId: 'dev-b' });
    expect(foldConsent([clear, flagSet])).toEqual({
      status: 'unsubscribed',
      lastEventId: 'own-flag',
      ownOptOut: true,
      conflicts: [{ overriddenEventId: 'clear', protectedOptOutId: 'own-flag' }],
    });
  });

  it('a clear that saw the flag wins', () => {
    const clear = makeEvent({ id: 'clear', typeId, status: 'not_specified', at: T(2), basedOn: 'own-flag' });
    expect(foldConsent([clear, flagSet])).toMatchObject({ status: 'not_specified', conflicts: [] });
  });

  it('a flag set by a user is not protected', () => {
    const userFlag = makeEvent({ id: 'user-flag', typeId, status: 'unsubscribed', at: T(1) });
    const clear = makeEvent({ id: 'clear', typeId, status: 'not_specified', at: T(2), deviceId: 'dev-b' });
    expect(foldConsent([clear, userFlag]).status).toBe('not_specified');
  });
});

describe('foldConsent: order independence', () => {
  const STATUSES: ConsentStatus[] = ['subscribed', 'unsubscribed', 'not_specified'];
  const ACTORS = ['contact', 'user', 'workflow', 'system'] as const;

  function randomHistory(random: () => number, size: number): ConsentEvent[] {
    const events: ConsentEvent[] = [];
    const seqByDevice = new Map<string, number>();
    for (let i = 0; i < size; i++) {
      const deviceId = `dev-${Math.floor(random() * 3)}`;
      const seq = (seqByDevice.get(deviceId) ?? 0) + 1;
      seqByDevice.set(deviceId, seq);
      const seen = events.length > 0 && random() < 0.6 ? events[Math.floor(random() * events.length)] : undefined;
      events.push(
        makeEvent({
          id: `e${i}`,
          status: STATUSES[Math.floor(random() * STATUSES.length)] ?? 'subscribed',
          actor: ACTORS[Math.floor(random() * ACTORS.length)] ?? 'user',
          // Few distinct minutes, so ties on time are common.
          at: T(Math.floor(random() * 6)),
          deviceId,
          seq,
          basedOn: seen?.id ?? '',
        }),
      );
    }
    return events;
  }

  it('gives the same result for 200 histories × 20 shuffles each', () => {
    const random = seededRandom(20250301);
    let conflicted = 0;
    for (let h = 0; h < 200; h++) {
      const events = randomHistory(random, 4 + Math.floor(random() * 20));
      const expected = foldConsent(events);
      if (expected.conflicts.length > 0) conflicted++;
      for (let s = 0; s < 20; s++) expect(foldConsent(shuffled(events, random))).toEqual(expected);
    }
    // The generator must actually exercise the protection rule.
    expect(conflicted).toBeGreaterThan(10);
  });

  it('foldAll groups by contact and type and matches foldConsent per group', () => {
    const random = seededRandom(7);
    const events = [
      ...randomHistory(random, 15).map((e) => ({ ...e, contactId: 'c1', typeId: 'mkt' })),
      ...randomHistory(random, 15).map((e) => ({ ...e, id: `${e.id}-2`, basedOn: e.basedOn && `${e.basedOn}-2`, contactId: 'c2', typeId: 'mkt' })),
      makeEvent({ id: 'flag', contactId: 'c1', typeId: ALL_WHATSAPP_TYPE_ID, status: 'unsubscribed', at: T(1), actor: 'contact' }),
    ];
    const all = foldAll(shuffled(events, random));
    expect(all.size).toBe(3);
    for (const [key, result] of all) {
      expect(key).toBe(consentKey(result.contactId, result.typeId));
      const group = events.filter((e) => e.contactId === result.contactId && e.typeId === result.typeId);
      expect(result).toEqual({ ...foldConsent(group), contactId: result.contactId, typeId: result.typeId });
    }
    expect(all.get(consentKey('c1', ALL_WHATSAPP_TYPE_ID))).toMatchObject({ status: 'unsubscribed', ownOptOut: true });
  });
});

import { describe, expect, it } from 'vitest';
import { computeEventHash, hashMatches, sealEvent, type UnsealedConsentEvent } from '../../../src/main/consent/event-hash';
import { erasePersonalValues, personalVerdict } from '../../../src/main/erasure/personal-digests';
import type { ConsentEvent } from '../../../src/shared/domain';

const draft: UnsealedConsentEvent = {
  id: 'msg:wamid.1:t1', contactId: 'c1', typeId: 't1', status: 'unsubscribed', previousStatus: 'subscribed', source: 'keyword',
  legalBasis: '', explanation: 'Sent "STOP proszę" to +48221234567.', actor: { kind: 'contact', id: 'c1', name: 'Zażółć Gęślą' },
  evidence: { messageId: 'wamid.1', messageText: 'STOP proszę', keyword: 'STOP', row: 3, futureDated: false },
  occurredAt: '2026-01-01T10:00:00.000Z', recordedAt: '2026-01-01T10:00:01.000Z', deviceId: 'dev-a', seq: 2, basedOn: 'e1',
};
const sealed = sealEvent(draft, 'a'.repeat(64));

describe('salted digests of personal fields', () => {
  it('a new event commits to the explanation, a contact actor name and evidence texts, not to ids and codes', () => {
    expect(Object.keys(sealed.personal ?? {}).sort()).toEqual(['actor/name', 'evidence/messageText', 'explanation']);
    expect(hashMatches(sealed)).toBe(true);
    expect(personalVerdict(sealed)).toBe('intact');
    // Two events with the same values get different salts, so their digests differ.
    expect(sealEvent(draft, 'a'.repeat(64)).personal?.explanation?.d).not.toBe(sealed.personal?.explanation?.d);
  });

  it('erasing values and salts keeps the hash; the verdict is "erased", never an alteration', () => {
    const erased = erasePersonalValues(sealed);
    expect(erased).toMatchObject({ explanation: '', actor: { name: '' }, evidence: { messageText: '', messageId: 'wamid.1', keyword: 'STOP', row: 3 } });
    expect(JSON.stringify(erased)).not.toContain('proszę');
    expect(erased.hash).toBe(sealed.hash);
    expect(computeEventHash(erased, erased.prevHash)).toBe(sealed.hash);
    expect(hashMatches(erased)).toBe(true);
    expect(personalVerdict(erased)).toBe('erased');
  });

  const altered: Array<[string, (e: ConsentEvent) => ConsentEvent]> = [
    ['a value changed, salt kept', (e) => ({ ...e, explanation: 'Sent "START" to +48221234567.' })],
    ['a salt removed, value kept', (e) => ({ ...e, personal: { ...e.personal, explanation: { d: e.personal?.explanation?.d ?? '' } } })],
    ['a digest replaced', (e) => ({ ...e, personal: { ...e.personal, explanation: { d: 'b'.repeat(64), s: e.personal?.explanation?.s } } })],
    ['a digest entry dropped', (e) => {
      const { explanation: _gone, ...rest } = e.personal ?? {};
      return { ...e, personal: rest };
    }],
    ['the whole map dropped', (e) => ({ ...e, personal: undefined })],
    ['a structural field changed', (e) => ({ ...e, evidence: { ...e.evidence, keyword: 'START' } })],
    ['a new personal value added after erasure', (e) => ({ ...erasePersonalValues(e), evidence: { ...e.evidence, messageText: '', note: 'Jan Kowalski' } })],
    ['an erased value put back without its salt', (e) => ({ ...erasePersonalValues(e), explanation: 'Sent "STOP proszę" to +48221234567.' })],
  ];
  it.each(altered)('%s is caught', (_name, change) => {
    expect(hashMatches(change(sealed))).toBe(false);
  });

  it('an event with nothing personal hashes as events always did (no map)', () => {
    const plain = sealEvent({ ...draft, explanation: '', actor: { kind: 'user', id: 'u1', name: 'Admin' }, evidence: { messageId: 'wamid.1' } }, '');
    expect(plain.personal).toBeUndefined();
    expect(hashMatches(plain)).toBe(true);
  });
});

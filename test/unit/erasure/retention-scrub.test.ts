import { describe, expect, it } from 'vitest';
import { computeEventHash, hashMatches, sealEvent, type UnsealedConsentEvent } from '../../../src/main/consent/event-hash';
import { erasePersonalValues, personalVerdict } from '../../../src/main/erasure/personal-digests';
import { eventHoldsMessageText, isRetentionErased, withoutMessageText } from '../../../src/main/erasure/retention-scrub';

// Retention removes only the message text of an event, through the same salted digests as erasure.
const draft: UnsealedConsentEvent = {
  id: 'msg:wamid.1:t1', contactId: 'c1', typeId: 't1', status: 'unsubscribed', previousStatus: 'subscribed', source: 'keyword',
  legalBasis: '', explanation: 'Sent "STOP proszę" to +48221234567.', actor: { kind: 'contact', id: 'c1', name: 'Zażółć Gęślą' },
  evidence: { messageId: 'wamid.1', messageText: 'STOP proszę', keyword: 'STOP' },
  occurredAt: '2026-01-01T10:00:00.000Z', recordedAt: '2026-01-01T10:00:01.000Z', deviceId: 'dev-a', seq: 2, basedOn: 'e1',
};
const sealed = sealEvent(draft, 'a'.repeat(64));

describe('retention of message text in an event', () => {
  it('removes the text and its salts, keeps the name and the hash; the verdict is erased, by retention', () => {
    expect(eventHoldsMessageText(sealed)).toBe(true);
    const retained = withoutMessageText(sealed);
    expect(retained).toMatchObject({ explanation: '', actor: { name: 'Zażółć Gęślą' }, evidence: { messageText: '', keyword: 'STOP', messageId: 'wamid.1' } });
    expect(JSON.stringify(retained)).not.toContain('proszę');
    expect(retained.personal?.['actor/name']?.s).toBe(sealed.personal?.['actor/name']?.s);
    expect(computeEventHash(retained, retained.prevHash)).toBe(sealed.hash);
    expect(hashMatches(retained)).toBe(true);
    expect(personalVerdict(retained)).toBe('erased');
    expect(isRetentionErased(retained)).toBe(true);
    expect(eventHoldsMessageText(retained)).toBe(false);
    // Again: nothing more to remove.
    expect(withoutMessageText(retained)).toEqual(retained);
  });

  it('a full erasure is not counted as retention; an event with no digests is left as it is', () => {
    expect(isRetentionErased(erasePersonalValues(sealed))).toBe(false);
    expect(isRetentionErased(sealed)).toBe(false);
    const legacy = { ...sealed, personal: undefined };
    expect(withoutMessageText(legacy)).toBe(legacy);
    expect(eventHoldsMessageText(legacy)).toBe(false);
  });

  it('the text put back without its salt is an alteration', () => {
    const retained = withoutMessageText(sealed);
    expect(personalVerdict({ ...retained, evidence: { ...retained.evidence, messageText: 'START' } })).toBe('altered');
    expect(personalVerdict({ ...retained, explanation: 'Sent "START" to +48221234567.' })).toBe('altered');
  });
});

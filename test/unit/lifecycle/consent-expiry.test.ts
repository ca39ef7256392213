import { describe, expect, it } from 'vitest';
import { addMonthsUtc, consentExpiry } from '../../../src/shared/consent/consent-expiry';
import { canMessage } from '../../../src/shared/consent/may-message';

const at = (iso: string) => new Date(iso);

describe('consent expiry (pure)', () => {
  it('adds calendar months in UTC and clamps to the last day of the month', () => {
    expect(addMonthsUtc(at('2025-01-31T10:00:00.000Z'), 1).toISOString()).toBe('2025-02-28T10:00:00.000Z');
    expect(addMonthsUtc(at('2024-01-31T10:00:00.000Z'), 1).toISOString()).toBe('2024-02-29T10:00:00.000Z');
    expect(addMonthsUtc(at('2025-11-15T23:59:59.999Z'), 3).toISOString()).toBe('2026-02-15T23:59:59.999Z');
    expect(addMonthsUtc(at('2025-03-31T00:00:00.000Z'), 24).toISOString()).toBe('2027-03-31T00:00:00.000Z');
  });

  it('phases: no term, valid, expiring within the warning, expired at the instant', () => {
    const subscribedAt = '2025-01-15T12:00:00.000Z';
    expect(consentExpiry({ subscribedAt, validForMonths: 0, now: at('2099-01-01T00:00:00Z') }).phase).toBe('no_expiry');
    expect(consentExpiry({ subscribedAt, validForMonths: undefined, now: at('2099-01-01T00:00:00Z') }).phase).toBe('no_expiry');
    expect(consentExpiry({ subscribedAt, validForMonths: 12, now: at('2025-06-01T00:00:00Z') })).toMatchObject({ phase: 'valid', expiresAt: '2026-01-15T12:00:00.000Z' });
    expect(consentExpiry({ subscribedAt, validForMonths: 12, now: at('2026-01-01T12:00:00Z') })).toMatchObject({ phase: 'expiring', daysLeft: 14 });
    expect(consentExpiry({ subscribedAt, validForMonths: 12, now: at('2026-01-01T12:00:00Z'), warningDays: 7 }).phase).toBe('valid');
    expect(consentExpiry({ subscribedAt, validForMonths: 12, now: at('2026-01-15T11:59:59.999Z') }).phase).toBe('expiring');
    expect(consentExpiry({ subscribedAt, validForMonths: 12, now: at('2026-01-15T12:00:00.000Z') }).phase).toBe('expired');
  });

  it('an undatable term counts as expired, and odd month counts as no term', () => {
    expect(consentExpiry({ subscribedAt: 'not a date', validForMonths: 6, now: at('2025-01-01T00:00:00Z') }).phase).toBe('expired');
    expect(consentExpiry({ subscribedAt: '', validForMonths: 6, now: at('2025-01-01T00:00:00Z') }).phase).toBe('expired');
    expect(consentExpiry({ subscribedAt: '2025-01-01T00:00:00Z', validForMonths: 1.5, now: at('2030-01-01T00:00:00Z') }).phase).toBe('no_expiry');
    expect(consentExpiry({ subscribedAt: '2025-01-01T00:00:00Z', validForMonths: -3, now: at('2030-01-01T00:00:00Z') }).phase).toBe('no_expiry');
  });

  it('may-I-message refuses marketing once the term is over and says when it ended', () => {
    const base = {
      contact: { waNumber: '+48601234567', phoneValid: true, lastInboundAt: '' },
      type: { id: 'm', name: 'Marketing', purpose: 'marketing' as const, archived: false, validForMonths: 6 },
      category: 'marketing' as const,
      stateByType: { m: 'subscribed' as const },
      sinceByType: { m: '2025-01-01T00:00:00.000Z' },
    };
    const before = canMessage({ ...base, now: at('2025-06-30T23:59:59Z') });
    expect(before).toMatchObject({ allowed: true, reasonCode: 'ok_subscribed', expiresAt: '2025-07-01T00:00:00.000Z' });
    const after = canMessage({ ...base, now: at('2025-07-01T00:00:00Z') });
    expect(after).toMatchObject({ allowed: false, reasonCode: 'consent_expired', expiresAt: '2025-07-01T00:00:00.000Z' });
    expect(after.reason).toContain('2025-07-01T00:00:00.000Z');
    // Without a term the same subscription never expires.
    expect(canMessage({ ...base, type: { ...base.type, validForMonths: 0 }, now: at('2040-01-01T00:00:00Z') }).allowed).toBe(true);
    // The channel opt-out still comes first.
    expect(canMessage({ ...base, stateByType: { ...base.stateByType, __all_whatsapp__: 'unsubscribed' }, now: at('2025-02-01T00:00:00Z') }).reasonCode).toBe('channel_opt_out');
  });
});

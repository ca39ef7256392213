// Consent expiry (SPEC 13): a subscription type may say "valid for N months". Whether a
// subscription has expired is a pure function of the ledger (the time of the event that
// made it subscribed), the type and a clock, so every device gives the same answer.
//
// Decisions:
// - The term starts at the occurredAt of the last event the fold applied (the one that
//   made the status 'subscribed'). A renewed opt-in (START again, a resubscribe after
//   expiry) is a newer subscribed event, so it starts a new term.
// - Months are calendar months in UTC; a day that does not exist in the target month is
//   clamped to its last day (31 January + 1 month = 28/29 February).
// - 0 or a missing validForMonths means consent does not expire.
// - An unparseable start time counts as expired: a term we cannot date cannot be proven.

export const MAX_VALID_FOR_MONTHS = 120;
// "Soon" for the re-permission list when the caller does not say otherwise.
export const DEFAULT_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ExpiryPhase = 'no_expiry' | 'valid' | 'expiring' | 'expired';

export type ConsentExpiry = {
  phase: ExpiryPhase;
  // ISO instant the consent stops counting ('' for 'no_expiry').
  expiresAt: string;
  // Whole days left, rounded down (negative once expired; 0 when 'no_expiry').
  daysLeft: number;
};

export function addMonthsUtc(start: Date, months: number): Date {
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(year, month, Math.min(start.getUTCDate(), lastDay), start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds(), start.getUTCMilliseconds()),
  );
}

export function consentExpiry(input: {
  subscribedAt: string;
  validForMonths: number | undefined;
  now: Date;
  warningDays?: number;
}): ConsentExpiry {
  const months = input.validForMonths ?? 0;
  if (!Number.isInteger(months) || months <= 0) return { phase: 'no_expiry', expiresAt: '', daysLeft: 0 };
  const start = Date.parse(input.subscribedAt);
  if (Number.isNaN(start)) return { phase: 'expired', expiresAt: new Date(0).toISOString(), daysLeft: -1 };
  const expires = addMonthsUtc(new Date(start), Math.min(months, MAX_VALID_FOR_MONTHS));
  const left = expires.getTime() - input.now.getTime();
  const daysLeft = Math.floor(left / DAY_MS);
  const warning = (input.warningDays ?? DEFAULT_EXPIRY_WARNING_DAYS) * DAY_MS;
  const phase: ExpiryPhase = left <= 0 ? 'expired' : left <= warning ? 'expiring' : 'valid';
  return { phase, expiresAt: expires.toISOString(), daysLeft };
}

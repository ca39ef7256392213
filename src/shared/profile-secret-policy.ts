import type { Role } from './domain';

// What a profile secret must look like. Field agents work on shared field laptops and sign in
// many times a day, so a PIN of at least 6 digits is allowed for them; administrators and
// compliance officers can change every profile and read every number, so they need a
// passphrase. Main enforces this; the window uses it to explain before sending.
export const PIN_MIN_DIGITS = 6;
export const PIN_MAX_DIGITS = 12;
export const PASSPHRASE_MIN_CHARS = 10;
export const SECRET_MAX_CHARS = 256;

export type SecretKind = 'pin' | 'passphrase';

const PIN_PATTERN = /^\d+$/;

export const secretKindOf = (secret: string): SecretKind => (PIN_PATTERN.test(secret) ? 'pin' : 'passphrase');

export const pinAllowedFor = (role: Role): boolean => role === 'field_agent';

// Why a secret cannot be used for a role, or null when it can.
export type SecretProblem = 'too_long' | 'pin_too_short' | 'pin_too_long' | 'pin_not_allowed' | 'passphrase_too_short';

export function secretProblem(secret: string, role: Role): SecretProblem | null {
  if (secret.length > SECRET_MAX_CHARS) return 'too_long';
  if (secretKindOf(secret) === 'pin') {
    if (!pinAllowedFor(role)) return 'pin_not_allowed';
    if (secret.length < PIN_MIN_DIGITS) return 'pin_too_short';
    if (secret.length > PIN_MAX_DIGITS) return 'pin_too_long';
    return null;
  }
  if ([...secret].length < PASSPHRASE_MIN_CHARS) return 'passphrase_too_short';
  return null;
}

export const SECRET_PROBLEM_TEXT: Record<SecretProblem, string> = {
  too_long: `A secret is at most ${SECRET_MAX_CHARS} characters.`,
  pin_too_short: `A PIN has at least ${PIN_MIN_DIGITS} digits.`,
  pin_too_long: `A PIN has at most ${PIN_MAX_DIGITS} digits; use a passphrase for anything longer.`,
  pin_not_allowed: `Administrators and compliance officers need a passphrase of at least ${PASSPHRASE_MIN_CHARS} characters, not a PIN.`,
  passphrase_too_short: `A passphrase has at least ${PASSPHRASE_MIN_CHARS} characters.`,
};

// Failed sign-ins: the first few are free (typos), then each one doubles the wait.
export const FREE_FAILED_ATTEMPTS = 4;
export const FIRST_BACKOFF_MS = 30_000;
export const MAX_BACKOFF_MS = 15 * 60_000;

export function backoffAfter(failedAttempts: number): number {
  if (failedAttempts <= FREE_FAILED_ATTEMPTS) return 0;
  const doublings = Math.min(failedAttempts - FREE_FAILED_ATTEMPTS - 1, 20);
  return Math.min(FIRST_BACKOFF_MS * 2 ** doublings, MAX_BACKOFF_MS);
}

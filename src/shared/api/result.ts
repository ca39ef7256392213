// Results crossing the process boundary: nothing throws across it.

export const ERROR_CODES = [
  'invalid_input',
  'unknown_channel',
  'not_signed_in',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_phone',
  'legal_basis_required',
  'explanation_required',
  'confirmation_required',
  'store_error',
  'internal',
  'sync_not_configured',
  'not_csv',
  'export_too_large',
  'wrong_secret',
  'too_many_attempts',
  'secret_not_set',
  'locked',
  // Store failures (src/main/store/store-errors.ts): each says what to do.
  'disk_full',
  'read_only',
  'store_missing',
  'store_empty',
  'cancelled',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ApiError = { code: ErrorCode; message: string; details?: unknown };
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, details?: unknown): Result<never> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

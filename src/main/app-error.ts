import type { ErrorCode } from '../shared/api/result';

// Services throw this for refusals the user should read; the API turns it into a Result.
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

import type { TFunction } from 'i18next';
import type { ApiError } from '../../../shared/api';
import { ApiFailure } from '../api/client';

// Turns a refusal from main into a sentence in the chosen language.
export function errorText(t: TFunction, error: unknown): string {
  const api: ApiError | null = error instanceof ApiFailure ? error.error : null;
  if (!api) return error instanceof Error ? error.message : String(error);
  if (api.code === 'forbidden' || api.code === 'not_found') return `${t(`errors.${api.code}`)} ${api.message}`;
  return t(`errors.${api.code}`, { message: api.message, defaultValue: api.message });
}

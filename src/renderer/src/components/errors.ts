import type { TFunction } from 'i18next';
import type { ApiError } from '../../../shared/api';
import { ApiFailure } from '../api/client';
import { i18n } from '../i18n';

// Turns a refusal from main into a sentence in the chosen language. Main's own message is
// English: it is added only to English text, other languages say it in their own words.
export function errorText(t: TFunction, error: unknown): string {
  const api: ApiError | null = error instanceof ApiFailure ? error.error : null;
  if (!api) return error instanceof Error ? error.message : String(error);
  const english = i18n.language === 'en';
  if (api.code === 'forbidden' || api.code === 'not_found') return english ? `${t(`errors.${api.code}`)} ${api.message}` : t(`errors.${api.code}`);
  return t(`errors.${api.code}`, { message: api.message, defaultValue: english ? api.message : t('errors.internal') });
}

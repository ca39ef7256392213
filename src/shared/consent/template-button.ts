// The marketing opt-out quick-reply of a template (SPEC 3). A button reply matches
// by payload (exact, case-insensitive) or by its visible text (keyword normal form,
// inner white space collapsed). Only button replies are checked: a typed message that
// happens to say "Stop promotions" is text, and goes through the keyword and
// stop-request rules instead.
import type { SubscriptionType } from '../domain';
import { normaliseKeyword } from './keyword-normalise';

export type MarketingOptOutButtonConfig = {
  payloads: readonly string[];
  texts: readonly string[];
};

export const DEFAULT_MARKETING_OPT_OUT_BUTTONS: MarketingOptOutButtonConfig = Object.freeze({
  payloads: Object.freeze(['STOP_MARKETING', 'STOP_PROMOTIONS', 'MARKETING_OPT_OUT', 'UNSUBSCRIBE_MARKETING']),
  // Meta's built-in marketing opt-out button reads "Stop promotions" in English.
  texts: Object.freeze([
    'Stop promotions',
    'Stop marketing',
    'Zatrzymaj promocje',
    'Detener promociones',
    'Arrêter les promotions',
    'Parar promoções',
    'Werbung stoppen',
  ]),
});

export type ButtonReply = { payload?: string; text?: string };

export type MarketingOptOutMatch = {
  optOut: boolean;
  matchedBy?: 'payload' | 'text';
  matched?: string;
};

function buttonNormal(value: string): string {
  return normaliseKeyword(value).replace(/\s+/g, ' ');
}

export type MarketingOptOutRecogniser = (button: ButtonReply) => MarketingOptOutMatch;

export function createMarketingOptOutRecogniser(
  config: MarketingOptOutButtonConfig = DEFAULT_MARKETING_OPT_OUT_BUTTONS,
): MarketingOptOutRecogniser {
  const payloads = new Map(config.payloads.map((p) => [buttonNormal(p), p] as const));
  const texts = new Map(config.texts.map((t) => [buttonNormal(t), t] as const));
  return (button) => {
    const payload = button.payload === undefined ? undefined : payloads.get(buttonNormal(button.payload));
    if (payload !== undefined) return { optOut: true, matchedBy: 'payload', matched: payload };
    const text = button.text === undefined ? undefined : texts.get(buttonNormal(button.text));
    if (text !== undefined) return { optOut: true, matchedBy: 'text', matched: text };
    return { optOut: false };
  };
}

// The type an opt-out applies to: the marketing type of the number that received the
// reply. phone_number_id is Meta's routing key; the display number is the fallback
// for the simple import form, which has no id. Archived types still take opt-outs
// (an opt-out is never dropped), but a live type is preferred.
export function findMarketingType(
  types: readonly SubscriptionType[],
  receiver: { phoneNumberId: string; businessNumber: string },
): SubscriptionType | undefined {
  const marketing = types
    .filter((t) => t.purpose === 'marketing')
    .sort((a, b) => Number(a.archived) - Number(b.archived));
  if (receiver.phoneNumberId !== '') {
    const byId = marketing.find((t) => t.phoneNumberId === receiver.phoneNumberId);
    if (byId) return byId;
  }
  if (receiver.businessNumber === '') return undefined;
  return marketing.find((t) => t.businessNumber === receiver.businessNumber);
}

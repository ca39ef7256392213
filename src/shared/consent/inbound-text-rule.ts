// What a piece of inbound text does (SPEC 2), in one place for every caller: typed
// messages, media captions, quick-reply and interactive replies, and the keyword tester.
//   1. exactly one keyword (after normalisation)      → it acts (opt_in / opt_out);
//   2. a stop-request phrasing in a supported language → review;
//   3. an opt-out keyword standing as a word, outside a plainly harmless mention
//      ("don't stop", "stop by", "cancel my order")   → review;
//   4. anything else, including an opt-in keyword in a sentence → nothing.
import type { KeywordClassification, KeywordMatcher } from './keyword-matcher';
import { detectStopRequest, withoutHarmlessMentions } from './stop-request-detector';

export type TextAction = 'opt_in' | 'opt_out' | 'review' | 'none';

export type TextVerdict = {
  action: TextAction;
  classification: KeywordClassification;
  // For 'review': what made it one (a phrase, or the opt-out keyword found).
  matched: string;
  reason: string;
};

export function decideText(matcher: KeywordMatcher, text: string): TextVerdict {
  const classification = matcher.classify(text);
  if (classification.kind !== 'none') return { action: classification.kind, classification, matched: '', reason: classification.reason };
  const phrase = detectStopRequest(text);
  if (phrase.likelyStopRequest) {
    return {
      action: 'review',
      classification,
      matched: phrase.matched ?? '',
      reason: `Looks like a request to stop ("${phrase.matched ?? ''}", ${phrase.language ?? ''}); nothing changes automatically and it goes to the review queue.`,
    };
  }
  if (classification.reasonCode === 'contains_opt_out') {
    const rest = matcher.classify(withoutHarmlessMentions(text));
    if (rest.reasonCode === 'contains_opt_out' || rest.kind === 'opt_out') {
      return { action: 'review', classification, matched: classification.optOutWord ?? '', reason: classification.reason };
    }
  }
  return { action: 'none', classification, matched: '', reason: classification.reason };
}

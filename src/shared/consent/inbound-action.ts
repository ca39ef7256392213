// What one inbound item asks for, before any routing or state (SPEC 2 and 3):
//   - text and media captions go through the text rule (inbound-text-rule.ts);
//   - a quick-reply or interactive reply is checked by its payload/id AND its text:
//     the template's marketing opt-out button first, then each through the text rule;
//     an opt-out from either wins over an opt-in from the other, and a review from
//     either wins over an opt-in;
//   - the platform's marketing preference stop/resume.
import type { InboundItem } from './inbound-item';
import type { KeywordMatcher } from './keyword-matcher';
import { decideText, type TextVerdict } from './inbound-text-rule';
import type { MarketingOptOutRecogniser } from './template-button';

export type InboundAction = 'opt_in' | 'opt_out' | 'button_opt_out' | 'review' | 'preference_stop' | 'preference_resume' | 'none';

export type InboundDecision = {
  action: InboundAction;
  // Keyword, phrase or button that decided it ('' for none).
  matched: string;
  language: string;
  reason: string;
};

const NONE: InboundDecision = { action: 'none', matched: '', language: '', reason: 'Not a keyword; nothing changed.' };

function fromText(verdict: TextVerdict): InboundDecision {
  return {
    action: verdict.action,
    matched: verdict.classification.keyword ?? verdict.matched,
    language: verdict.classification.language ?? '',
    reason: verdict.reason,
  };
}

// Higher wins when a reply's payload and text disagree: an opt-out is never lost.
const STRENGTH: Record<TextVerdict['action'], number> = { none: 0, opt_in: 1, review: 2, opt_out: 3 };

export function decideInbound(item: InboundItem, matcher: KeywordMatcher, isOptOutButton: MarketingOptOutRecogniser): InboundDecision {
  if (item.kind === 'text') return item.body === undefined ? NONE : fromText(decideText(matcher, item.body));
  if (item.kind === 'button') {
    const button = isOptOutButton({ payload: item.buttonPayload, text: item.buttonText });
    if (button.optOut) {
      return { action: 'button_opt_out', matched: button.matched ?? '', language: '', reason: `Marketing opt-out button (by ${button.matchedBy ?? 'payload'}).` };
    }
    let best: TextVerdict | undefined;
    for (const part of [item.buttonText, item.buttonPayload]) {
      if (part === undefined) continue;
      const verdict = decideText(matcher, part);
      if (STRENGTH[verdict.action] > STRENGTH[best?.action ?? 'none']) best = verdict;
    }
    return best ? fromText(best) : NONE;
  }
  if (item.kind === 'preference') {
    return item.preference === 'stop'
      ? { action: 'preference_stop', matched: 'stop', language: '', reason: 'The platform reports a marketing stop.' }
      : { action: 'preference_resume', matched: 'resume', language: '', reason: 'The platform reports a marketing resume.' };
  }
  return NONE;
}

// Order inside one second (webhook timestamps are whole seconds): opt-ins before
// everything else and opt-outs last, as the fold orders events (SPEC 2).
export function actionRank(action: InboundAction): number {
  if (action === 'opt_in' || action === 'preference_resume') return 0;
  if (action === 'opt_out' || action === 'button_opt_out' || action === 'preference_stop') return 2;
  return 1;
}

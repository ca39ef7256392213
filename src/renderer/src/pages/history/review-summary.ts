import type { TFunction } from 'i18next';
import type { ReviewItemView } from '../../../../shared/api/review-channels';
import { formatDateTime } from '../../format';

// What a review item is about, in the user's language with dates formatted: main's summary
// is an English sentence with ISO timestamps in it, kept for exports and logs.
export function reviewSummary(t: TFunction, item: ReviewItemView): string {
  if (item.kind === 'stop_request') return t('review.stopRequest');
  if (item.kind === 'concurrent_change') {
    const overridden = item.events.find((e) => e.id === item.evidence.overriddenEventId);
    const optOut = item.events.find((e) => e.id === item.evidence.protectedOptOutId);
    if (overridden && optOut)
      return t('review.concurrentChange', { who: overridden.actor.name, status: t(`historyStatuses.${overridden.status}`), when: formatDateTime(optOut.occurredAt) });
  }
  return t('review.other');
}

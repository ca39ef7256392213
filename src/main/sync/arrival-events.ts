import type { Subscription } from 'rxjs';
import type { EventHub } from '../events/event-hub';
import type { AppDatabase } from '../store/database';
import { DOWNSTREAM_CONTEXT } from './pending-changes';

// Documents that arrive from other devices are announced like local edits, so open
// windows refresh. (Consent events are announced by the ledger once projected.)
export function announceArrivals(db: AppDatabase, events: EventHub): () => void {
  const fromServer = (context: string) => context.startsWith(DOWNSTREAM_CONTEXT);
  const subs: Subscription[] = [
    db.contacts.eventBulks$.subscribe((bulk) => {
      if (fromServer(bulk.context)) events.emit({ type: 'contacts:changed', ids: bulk.events.map((e) => e.documentId) });
    }),
    db.users.eventBulks$.subscribe((bulk) => {
      if (fromServer(bulk.context)) events.emit({ type: 'users:changed' });
    }),
    db.settings.eventBulks$.subscribe((bulk) => {
      if (fromServer(bulk.context)) events.emit({ type: 'settings:changed', keys: bulk.events.map((e) => e.documentId) });
    }),
  ];
  return () => subs.forEach((s) => s.unsubscribe());
}

import { Subject } from 'rxjs';
import type { AppEvent } from '../../shared/events';

// One stream of push events; every binding (Electron windows, the e2e harness) listens here.
export type EventHub = {
  emit(event: AppEvent): void;
  subscribe(listener: (event: AppEvent) => void): () => void;
};

export function createEventHub(): EventHub {
  const subject = new Subject<AppEvent>();
  return {
    emit: (event) => subject.next(event),
    subscribe: (listener) => {
      const sub = subject.subscribe(listener);
      return () => sub.unsubscribe();
    },
  };
}

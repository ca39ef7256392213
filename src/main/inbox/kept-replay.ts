import type { MessageIngestion } from '../consent/message-ingestion';
import type { Logger } from '../logger';
import type { AppDatabase } from '../store/database';
import { onDocChanges } from '../store/doc-changes';

// Messages from the relay inbox to a business number with no subscription type are kept
// (outcome unknown_number) and their deliveries marked processed, since nothing in the
// delivery itself will change. What changes is the configuration: whenever a subscription
// type is written, here or on another device (RxDB's change stream carries both), the kept
// relay messages are run again through the relay's ingestion. Ids are deterministic, so
// running them on every device, or twice, records each event once.
export type KeptReplay = { close(): Promise<void> };

// Several type writes in a row (a form saved field by field, a sync batch) start one replay.
const SETTLE_MS = 200;

export function startKeptReplay(deps: {
  db: AppDatabase;
  ingestion: MessageIngestion;
  log: Logger;
  // Runs the replay after any ingestion in progress, never beside it.
  serial: (work: () => Promise<void>) => Promise<void>;
  settleMs?: number;
}): KeptReplay {
  const { db, ingestion, log, serial } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  const replay = () =>
    serial(async () => {
      if (closed) return;
      const report = await ingestion.reprocessKept();
      if (report.itemCount > 0) log.info(`relay inbox: ${report.itemCount} kept message(s) processed again after a type change`, report.counts);
    }).catch((e: unknown) => log.error('relay inbox: replaying kept messages failed', e));

  const subscription = onDocChanges(db.subscription_types, () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(replay);
    }, deps.settleMs ?? SETTLE_MS);
  });

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      subscription.unsubscribe();
      await running;
    },
  };
}

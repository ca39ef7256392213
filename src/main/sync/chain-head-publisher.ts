import { chainHeadEntry, signChainHead } from '../device/chain-heads';
import { createSerialQueue } from '../ledger/serial-queue';
import type { Logger } from '../logger';
import type { AppDatabase } from '../store/database';
import { insertMissing } from '../store/insert-documents';
import { queryPlain } from '../store/plain-documents';
import { settleLatest } from '../settle-latest';

/*
 * Publishes this device's signed chain head (device/chain-heads.ts) while sync runs. A head
 * covers only events the server acknowledged (RxDB reports each document it wrote there without
 * a conflict; a device's own events go up in seq order), so a device holding a head can expect
 * an honest server to deliver every event under it: what is then missing was withheld.
 * How often: the first time the chain's pushes settle in a sync session, then at most once per
 * interval while the chain moves (a timer publishes what the interval held back), and once more
 * when sync stops, so the last events of a session are covered too (that head goes up with the
 * next session). One entry per advance would double the audit log of a busy device.
 */
export const CHAIN_HEAD_INTERVAL_MS = 5 * 60_000;
const PUBLISHED = 'chain-head:published';

export type ChainHeadPublisher = {
  sessionStarted(): void;
  // A consent event the server took (RxDB's sent$): this device's own ones move the head.
  pushed(doc: unknown): void;
  // The ledger's replication is idle and in step with the server.
  roundEnded(): void;
  // Sync stops: publish what the server took, whatever the interval.
  flush(): Promise<void>;
  settled(): Promise<void>;
  close(): void;
};

export function createChainHeadPublisher(deps: {
  db: AppDatabase;
  deviceId: string;
  sign: (message: string) => string;
  now: () => Date;
  log: Logger;
  intervalMs?: number;
}): ChainHeadPublisher {
  const { db, deviceId, sign, now, log } = deps;
  const intervalMs = deps.intervalMs ?? CHAIN_HEAD_INTERVAL_MS;
  const serial = createSerialQueue();
  let tail: Promise<unknown> = Promise.resolve();
  let pushedSeq = 0;
  let published: { seq: number } | null = null;
  // Wall-clock ms of this session's last head (null: none yet); the app's clock may be a test's.
  let publishedThisSessionAt: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const lastPublished = async (): Promise<{ seq: number }> => {
    if (published) return published;
    const value = (await db.local_meta.findOne(PUBLISHED).exec())?.toMutableJSON().value as { seq?: unknown } | undefined;
    published = { seq: typeof value?.seq === 'number' ? value.seq : 0 };
    return published;
  };

  const publish = async (): Promise<void> => {
    const before = await lastPublished();
    const seq = pushedSeq;
    if (seq <= before.seq) return;
    const [event] = await queryPlain(db.consent_events, { selector: { deviceId, seq }, limit: 1 });
    if (!event) return;
    const head = signChainHead({ v: 1, deviceId, seq, hash: event.hash, at: now().toISOString() }, sign);
    await insertMissing(db.audit_log, [chainHeadEntry(head)]);
    await db.local_meta.upsert({ id: PUBLISHED, value: { seq, at: head.at }, updatedAt: head.at });
    published = { seq };
    publishedThisSessionAt = Date.now();
  };

  const run = (work: () => Promise<void>) => {
    tail = serial(work).catch((e: unknown) => log.error('sync: publishing the chain head failed', e));
    return tail;
  };

  const due = async () => {
    if (closed) return;
    const before = await lastPublished();
    if (pushedSeq <= before.seq) return;
    const wait = publishedThisSessionAt === null ? 0 : publishedThisSessionAt + intervalMs - Date.now();
    if (wait <= 0) return publish();
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void run(due);
    }, wait);
    timer.unref?.();
  };

  return {
    sessionStarted() {
      publishedThisSessionAt = null;
    },
    pushed(doc) {
      const d = doc as { deviceId?: unknown; seq?: unknown } | null;
      if (d && d.deviceId === deviceId && typeof d.seq === 'number' && d.seq > pushedSeq) pushedSeq = d.seq;
    },
    roundEnded() {
      void run(due);
    },
    async flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      await run(publish);
    },
    settled: () => settleLatest(() => tail),
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

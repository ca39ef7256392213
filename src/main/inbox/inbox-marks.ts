import type { AppDatabase } from '../store/database';

// This device's bookkeeping of the relay inbox, in local_meta (never replicated): where in
// the inbox's change feed it has read to, and a mark per delivery it has processed. The marks
// are written after the delivery's events, so a crash in between only means the delivery is
// read again, and ingestion (idempotent by message id) adds nothing the second time.
export type InboxCheckpoint = { source: string; since: string; processed: number; rejected: number; lastDeliveryAt: string };

const CHECKPOINT_ID = 'inbox:checkpoint';
const markId = (deliveryId: string) => `inbox:done:${deliveryId}`;

export type InboxMarks = {
  checkpoint(source: string): Promise<InboxCheckpoint>;
  saveCheckpoint(c: InboxCheckpoint): Promise<void>;
  // Which of these deliveries were processed here before.
  done(deliveryIds: readonly string[]): Promise<Set<string>>;
  mark(marks: ReadonlyArray<{ deliveryId: string; outcome: 'ingested' | 'rejected'; detail: string }>): Promise<void>;
};

export function createInboxMarks(db: AppDatabase, now: () => Date): InboxMarks {
  return {
    async checkpoint(source) {
      const doc = await db.local_meta.findOne(CHECKPOINT_ID).exec();
      const v = (doc?.value ?? {}) as Partial<InboxCheckpoint>;
      const counts = { processed: Number(v.processed ?? 0), rejected: Number(v.rejected ?? 0), lastDeliveryAt: String(v.lastDeliveryAt ?? '') };
      // Another server or database: read its feed from the start (the marks still stop repeats).
      return v.source === source ? { source, since: String(v.since ?? '0'), ...counts } : { source, since: '0', ...counts };
    },
    async saveCheckpoint(c) {
      await db.local_meta.upsert({ id: CHECKPOINT_ID, value: { ...c }, updatedAt: now().toISOString() });
    },
    async done(deliveryIds) {
      const found = await db.local_meta.findByIds(deliveryIds.map(markId)).exec();
      return new Set(deliveryIds.filter((id) => found.has(markId(id))));
    },
    async mark(marks) {
      if (marks.length === 0) return;
      const at = now().toISOString();
      await db.local_meta.bulkUpsert(marks.map((m) => ({ id: markId(m.deliveryId), value: { outcome: m.outcome, detail: m.detail.slice(0, 500) }, updatedAt: at })));
    },
  };
}

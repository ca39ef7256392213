import type { InboxProblemKind, InboxStatus } from '../../shared/api/relay-channels';
import type { InboundError, InboundItem } from '../../shared/consent/inbound-item';
import type { PlatformSignal } from '../../shared/consent/platform-signal-types';
import { isWebhookPayload, parseWebhookPayload } from '../../shared/consent/webhook-parser';
import { isInboxDelivery, webhookInboxDatabase, type InboxDelivery } from '../../shared/relay/webhook-inbox';
import type { MessageIngestion } from '../consent/message-ingestion';
import type { Logger } from '../logger';
import type { ActiveSecretStore } from '../secrets/secret-store';
import type { AppDatabase } from '../store/database';
import { readSyncConfig } from '../sync/sync-config-file';
import { createInboxChanges, InboxReadError } from './inbox-changes';
import { createInboxMarks, type InboxCheckpoint } from './inbox-marks';
import { startKeptReplay } from './kept-replay';

// Live WhatsApp signals on this device. While sync runs, the relay's inbox database on the
// same server (same address, credentials and base name) is read pull-only and every delivery
// not processed here before is ingested. Exactly once for the organisation rests on the
// ingestion: its event ids are deterministic per message, and the record of each processed
// message replicates, so a device that processes a delivery late adds nothing new, and where
// two process it at once they write the same event ids. Before a batch, sync is given a
// moment to bring in what other devices already did, so a late device folds on the same
// ledger and decides the same.
export type InboxService = {
  status(): InboxStatus;
  close(): Promise<void>;
};

export type InboxServiceDeps = {
  db: AppDatabase;
  dataDir: string;
  secrets: ActiveSecretStore;
  ingestion: MessageIngestion;
  log: Logger;
  now: () => Date;
  // Resolves when sync is in step with the server (or gives up): called before each batch.
  syncInStep: () => Promise<void>;
  // The sync service's signal that its settings changed (sync-service.ts): the inbox reads
  // the settings when told, and waits on nothing but that signal while sync is off.
  onSyncSettingsChanged: (listener: () => void) => () => void;
  // After a read-only start (store/read-only-start.ts) the inbox stays off: nothing it reads could be stored.
  readOnly?: boolean;
  retryMs?: number;
  longPollMs?: number;
  pageSize?: number;
};

const MISSING_INBOX_RECHECK_MS = 30_000;

export function createInboxService(deps: InboxServiceDeps): InboxService {
  const { db, dataDir, secrets, ingestion, log, now } = deps;
  const retryMs = deps.retryMs ?? 5000;
  const longPollMs = deps.longPollMs ?? 10_000;
  const pageSize = deps.pageSize ?? 100;
  const marks = createInboxMarks(db, now);
  const abort = new AbortController();
  let closed = false;
  let status: InboxStatus = { state: 'off', inboxDatabase: '', lastDeliveryAt: '', lastCheckAt: '', processed: 0, rejected: 0, backlog: 0, problem: null };
  const set = (patch: Partial<InboxStatus>) => {
    status = { ...status, ...patch };
  };
  // Reading the inbox and replaying kept messages take turns, never run side by side.
  let turn: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work);
    turn = result.catch(() => undefined);
    return result;
  };
  const keptReplay = startKeptReplay({ db, ingestion, log, serial });

  // The settings as last told. A change aborts the request in flight (a long poll can wait
  // 10 s) and ends any pause, so the loop goes round at once on the new settings.
  const settingsNow = () => (deps.readOnly ? null : readSyncConfig(dataDir));
  let config = settingsNow();
  let round = new AbortController();
  let wake = () => {};
  const stopListening = deps.onSyncSettingsChanged(() => {
    config = settingsNow();
    round.abort();
    wake();
  });

  // Until `ms` pass (null: until told), the settings change, or the service closes.
  const pause = (ms: number | null) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        abort.signal.removeEventListener('abort', done);
        wake = () => {};
        resolve();
      };
      const timer = ms === null ? undefined : setTimeout(done, ms);
      wake = done;
      abort.signal.addEventListener('abort', done, { once: true });
    });

  const report = (kind: InboxProblemKind, detail: string) => {
    if (status.problem?.kind !== kind) log.warn(`relay inbox: ${kind} ${detail}`);
    set({ state: 'error', problem: { kind, detail, at: now().toISOString() } });
  };

  // Ingests the deliveries of one page not processed here before; returns the new checkpoint.
  const processPage = async (cp: InboxCheckpoint, docs: unknown[], lastSeq: string): Promise<InboxCheckpoint> => {
    const valid = docs.filter(isInboxDelivery);
    const invalid = docs.filter((d) => !isInboxDelivery(d));
    const already = await marks.done(valid.map((d) => d._id));
    const fresh = valid.filter((d) => !already.has(d._id));
    const readable: InboxDelivery[] = [];
    const unreadable: Array<{ deliveryId: string; outcome: 'rejected'; detail: string }> = invalid.map((d) => ({
      deliveryId: `invalid:${String((d as { _id?: unknown })._id ?? '')}`,
      outcome: 'rejected',
      detail: 'Not a delivery stored by the relay.',
    }));
    const items: InboundItem[] = [];
    const errors: InboundError[] = [];
    const signals: PlatformSignal[] = [];
    for (const d of fresh) {
      if (!isWebhookPayload(d.payload)) {
        unreadable.push({ deliveryId: d._id, outcome: 'rejected', detail: 'The stored body is not a WhatsApp webhook notification.' });
        continue;
      }
      const parsed = parseWebhookPayload(d.payload, d._id);
      // A delivery that is only a signal (a number changed hands, a failed send) is readable.
      if (parsed.items.length === 0 && !parsed.signals?.length && parsed.errors.length > 0) {
        unreadable.push({ deliveryId: d._id, outcome: 'rejected', detail: parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ') });
        continue;
      }
      items.push(...parsed.items);
      errors.push(...parsed.errors);
      signals.push(...(parsed.signals ?? []));
      readable.push(d);
    }
    if (items.length || signals.length) {
      await deps.syncInStep();
      const report = await serial(() => ingestion.ingest({ items, errors, signals }));
      if (report.errors.length) log.warn(`relay inbox: ${report.errors.length} malformed item(s) skipped`, report.errors.slice(0, 5));
    }
    await marks.mark([...readable.map((d) => ({ deliveryId: d._id, outcome: 'ingested' as const, detail: '' })), ...unreadable]);
    const newest = readable.reduce((max, d) => (d.receivedAt > max ? d.receivedAt : max), cp.lastDeliveryAt);
    const next: InboxCheckpoint = { ...cp, since: lastSeq, processed: cp.processed + readable.length, rejected: cp.rejected + unreadable.length, lastDeliveryAt: newest };
    await marks.saveCheckpoint(next);
    return next;
  };

  const run = async () => {
    let caughtUp = false;
    while (!closed) {
      round = new AbortController();
      const signal = AbortSignal.any([abort.signal, round.signal]);
      const settings = config;
      if (!settings?.enabled) {
        set({ state: 'off', problem: null, backlog: 0 });
        caughtUp = false;
        await pause(null);
        continue;
      }
      let password = '';
      try {
        if (settings.passwordCipher) password = secrets.decrypt(settings.passwordCipher);
      } catch (e) {
        report('credentials_unreadable', e instanceof Error ? e.message : String(e));
        await pause(retryMs);
        continue;
      }
      const database = webhookInboxDatabase(settings.database);
      if (status.inboxDatabase !== database) set({ inboxDatabase: database });
      const changes = createInboxChanges({ url: settings.url, database, username: settings.username, password });
      try {
        // Whether this organisation has a relay at all: asked with a plain GET of the database,
        // so a server without an inbox never sees a changes-feed request from the inbox.
        if (status.state === 'off' || status.state === 'error') await changes.docCount(signal);
        const cp = await marks.checkpoint(`${settings.url}|${database}`);
        if (status.state === 'off') set({ state: 'connecting' });
        set({ processed: cp.processed, rejected: cp.rejected, lastDeliveryAt: cp.lastDeliveryAt });
        // Caught up: wait on the server for the next delivery. Behind: read on at once.
        const page = await changes.page(cp.since, pageSize, caughtUp ? longPollMs : 0, signal);
        const next = await processPage(cp, page.docs, page.lastSeq);
        caughtUp = page.docs.length < pageSize;
        const backlog = page.pending ?? (caughtUp ? 0 : Math.max(0, (await changes.docCount(signal)) - next.processed - next.rejected));
        set({
          state: caughtUp ? 'listening' : 'catching_up',
          problem: null,
          lastCheckAt: now().toISOString(),
          processed: next.processed,
          rejected: next.rejected,
          lastDeliveryAt: next.lastDeliveryAt,
          backlog,
        });
      } catch (e) {
        if (closed) break;
        caughtUp = false;
        // The settings changed under the request: go round on the new ones, nothing failed.
        if (signal.aborted) continue;
        if (e instanceof InboxReadError) report(e.kind, e.message);
        else {
          log.error('relay inbox: processing failed', e);
          report('server_error', e instanceof Error ? e.message : String(e));
        }
        // An organisation without a relay has no inbox database: look again now and then only.
        await pause(e instanceof InboxReadError && e.kind === 'inbox_missing' ? Math.max(retryMs, MISSING_INBOX_RECHECK_MS) : retryMs);
      }
    }
  };
  const running = run();

  return {
    status: () => status,
    async close() {
      closed = true;
      stopListening();
      abort.abort();
      await running;
      await keptReplay.close();
    },
  };
}

// Waits for `work` at most `ms`: sync being slow or offline must not stop live signals.
export const atMost = (work: () => Promise<unknown>, ms: number) => async (): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work().catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
};

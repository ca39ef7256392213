import type { SyncConfigView, SyncConnectionCheck, SyncProblem, SyncProblemKind, SyncStatus } from '../../shared/api/sync-channels';
import { AppError } from '../app-error';
import type { EventHub } from '../events/event-hub';
import type { Logger } from '../logger';
import type { AppDatabase } from '../store/database';
import { announceArrivals } from './arrival-events';
import type { DeviceTrust } from '../device/device-trust';
import { createArrivalGate, type ArrivalGate } from './arrival-gate';
import { createChainHeadPublisher, type ChainHeadPublisher } from './chain-head-publisher';
import type { ConsentEvent } from '../../shared/domain';
import { fileKeptLinks } from '../integrity/kept-links';
import { installConflictHandlers } from './conflict-handlers';
import { installFieldStamping } from './field-stamping';
import { fileLegacyManifest } from './legacy-manifest';
import { installRoleRecords } from './role-history';
import type { DeviceKeyLookup } from './signed-changes';
import { checkCouchConnection, problem } from './couch-http';
import { trackPendingChanges } from './pending-changes';
import { PULL_BATCH_SIZE, PUSH_BATCH_SIZE, startReplicationSession, type ReplicationSession } from './replication-session';
import type { ActiveSecretStore } from '../secrets/secret-store';
import { remoteDatabaseNames, type SyncedCollection } from './sync-collections';
import { readSyncConfig, writeSyncConfig, type StoredSyncConfig } from './sync-config-file';
import { withoutUrlCredentials } from './url-credentials';

export type SyncConfigInput = { url: string; database: string; username: string; password?: string };

export type SyncService = {
  getConfig(): SyncConfigView | null;
  setConfig(input: SyncConfigInput): Promise<SyncConfigView>;
  start(): Promise<SyncStatus>;
  stop(): Promise<SyncStatus>;
  status(): SyncStatus;
  testConnection(override: Partial<SyncConfigInput>): Promise<SyncConnectionCheck>;
  // Resolves when every shared collection is in step with the server (tests, benchmarks).
  awaitInSync(): Promise<void>;
  // Documents the arrival checks kept aside (sync-trust-channels.ts).
  gate: ArrivalGate;
  // This device's signed chain heads (chain-head-publisher.ts).
  heads: ChainHeadPublisher;
  // When (Date.now()) the last read of a collection that reached the end of the server's changes
  // began, in this run of the app; null before the first.
  caughtUpAt(collection: SyncedCollection): number | null;
  // Told after the sync settings change (saved, started, stopped): the relay inbox follows
  // them without reading the settings file on a timer. Returns the unsubscribe.
  onSettingsChanged(listener: () => void): () => void;
  close(): Promise<void>;
};

export type SyncServiceDeps = {
  db: AppDatabase;
  dataDir: string;
  deviceId: string;
  secrets: ActiveSecretStore;
  trust: DeviceTrust;
  events: EventHub;
  log: Logger;
  now: () => Date;
  retryMs?: number;
  catchUpMs?: number;
  batchSize?: number;
  pullBatchSize?: number;
  // Replaces the enrolment registry as the source of enrolled devices' keys for checking
  // signed changes to users, settings, rules and types (tests that play the registry).
  deviceKeyLookup?: DeviceKeyLookup;
  // At most one chain head per this many ms while the chain moves (tests shorten it).
  chainHeadIntervalMs?: number;
  // Set after a read-only start (store/read-only-start.ts): why sync neither starts nor saves
  // its settings. What arrived could not be stored, and the settings file could not be written.
  readOnly?: string;
};

const STATUS_PUSH_MS = 150;

export function createSyncService(deps: SyncServiceDeps): SyncService {
  const { db, dataDir, secrets, events, log, now } = deps;
  const gate = createArrivalGate({ db, log, now, trust: deps.trust, deviceKey: deps.deviceKeyLookup });
  const handlers = installConflictHandlers(db, (collection, local, server) => {
    if (collection !== 'consent_events') return;
    const [mine, theirs] = [local, server] as [ConsentEvent, ConsentEvent];
    // Same device and seq: one link, nothing missing on either side.
    if (mine.deviceId === theirs.deviceId && mine.seq === theirs.seq) return;
    fileKeptLinks(db, deps.deviceId, now().toISOString(), [mine, theirs]).catch((e: unknown) => log.error('sync: filing kept chain links failed', e));
  }, gate.checkMasterState);
  installFieldStamping(db, deps.deviceId, now, deps.trust);
  const { readOnly } = deps;
  const refuseIfReadOnly = () => {
    if (readOnly !== undefined) throw new AppError('read_only', readOnly);
  };
  const heads = createChainHeadPublisher({ db, deviceId: deps.deviceId, sign: deps.trust.sign, now, log, intervalMs: deps.chainHeadIntervalMs });
  const caughtUp = new Map<SyncedCollection, number>();
  // Both write to the store: not after a read-only start (the store would refuse them).
  if (readOnly === undefined) {
    void installRoleRecords(db, deps.deviceId, log);
    fileLegacyManifest({ db, deviceId: deps.deviceId, sign: deps.trust.sign, now, log }).catch((e: unknown) => log.error('sync: filing the legacy manifest failed', e));
  }
  let config = withoutUrlCredentials(readSyncConfig(dataDir), secrets, (c) => (readOnly === undefined ? writeSyncConfig(dataDir, c) : undefined), log);
  let session: ReplicationSession | null = null;
  let sessionSeq = 0;
  let online = false;
  let answered = false;
  let busy = 0;
  let current: SyncProblem | null = null;
  let lastError: SyncProblem | null = null;
  let lastSyncAt = config?.lastSyncAt ?? '';

  const view = (c: StoredSyncConfig): SyncConfigView => ({
    url: c.url,
    database: c.database,
    username: c.username,
    hasPassword: c.passwordCipher !== '',
    protection: secrets.protection,
  });

  const status = (): SyncStatus => ({
    configured: config !== null,
    enabled: config?.enabled ?? false,
    state: !session
      ? 'off'
      : current
        ? current.kind === 'unreachable' ? 'offline' : 'error'
        : !answered ? 'connecting' : busy > 0 || pending.count() > 0 ? 'syncing' : 'in_sync',
    online,
    pending: pending.count(),
    lastSyncAt,
    lastError,
    protection: secrets.protection,
  });

  // Status changes come in bursts (every pushed batch); the UI gets at most a few a second.
  let pushTimer: NodeJS.Timeout | null = null;
  let lastPushed = '';
  const pushStatus = () => {
    if (pushTimer) return;
    pushTimer = setTimeout(() => {
      pushTimer = null;
      const s = status();
      const text = JSON.stringify(s);
      if (text === lastPushed) return;
      lastPushed = text;
      events.emit({ type: 'sync:status', status: s });
    }, STATUS_PUSH_MS);
  };

  const pending = trackPendingChanges(db, pushStatus, () => config !== null);
  const stopAnnouncing = announceArrivals(db, events);

  const settingsListeners = new Set<() => void>();
  const settingsChanged = () => {
    for (const listener of settingsListeners) listener();
  };

  const persist = (patch: Partial<StoredSyncConfig>) => {
    if (!config) return;
    config = { ...config, ...patch };
    try {
      writeSyncConfig(dataDir, config);
    } catch (e) {
      // Only bookkeeping (enabled, last sync time) is at stake; never fail a stop or close on it.
      log.warn('sync: could not save the sync settings file', e);
    }
  };

  const markInSync = () => {
    lastSyncAt = now().toISOString();
  };

  const report = (kind: SyncProblemKind, detail: string) => {
    const p = problem(kind, now(), detail);
    if (current?.kind !== kind) log.warn(`sync: ${p.message}`);
    current = p;
    lastError = p;
    online = kind !== 'unreachable';
    pushStatus();
  };

  const readPassword = (c: StoredSyncConfig): string => {
    if (!c.passwordCipher) return '';
    try {
      if (c.protection !== secrets.protection) throw new Error(`saved with ${c.protection}, now ${secrets.protection}`);
      return secrets.decrypt(c.passwordCipher);
    } catch (e) {
      report('credentials_unreadable', e instanceof Error ? e.message : String(e));
      throw new AppError('sync_not_configured', 'The saved password cannot be read on this computer any more; enter it again.');
    }
  };

  const stopSession = async () => {
    const s = session;
    session = null;
    sessionSeq += 1;
    busy = 0;
    online = false;
    current = null;
    if (s) {
      await s.stop();
      await heads.flush();
    }
    if (config) persist({ lastSyncAt });
  };

  const startSession = (c: StoredSyncConfig) => {
    const password = readPassword(c);
    const seq = ++sessionSeq;
    answered = false;
    current = null;
    heads.sessionStarted();
    session = startReplicationSession({
      db,
      url: c.url,
      database: c.database,
      credentials: { username: c.username, password },
      handlers,
      gate,
      retryMs: deps.retryMs ?? 5000,
      catchUpMs: deps.catchUpMs ?? 30_000,
      batchSize: deps.batchSize ?? PUSH_BATCH_SIZE,
      pullBatchSize: deps.pullBatchSize ?? PULL_BATCH_SIZE,
      observer: {
        onSuccess() {
          if (seq !== sessionSeq) return;
          const wasDown = current !== null || !online;
          answered = true;
          online = true;
          current = null;
          if (busy === 0 && pending.count() === 0) markInSync();
          if (wasDown) pushStatus();
        },
        onProblem(kind, detail) {
          if (seq === sessionSeq) report(kind, detail);
        },
      },
      onPushed(collection, doc) {
        if (seq === sessionSeq && collection === 'consent_events') heads.pushed(doc);
      },
      onCaughtUp(collection, readStartedAt) {
        if (seq === sessionSeq) caughtUp.set(collection, Math.max(caughtUp.get(collection) ?? 0, readStartedAt));
      },
      onRoundStarted(collection: SyncedCollection) {
        if (seq === sessionSeq) pending.roundStarted(collection);
      },
      onActivity(busyNow: ReadonlySet<SyncedCollection>, idle: SyncedCollection | null) {
        if (seq !== sessionSeq) return;
        busy = busyNow.size;
        if (idle && online && !current) pending.settled(idle);
        if (idle === 'consent_events' && online && !current) heads.roundEnded();
        if (busy === 0 && online && !current && pending.count() === 0) markInSync();
        pushStatus();
      },
    });
    pushStatus();
  };

  // Sync that was running when the app closed starts again by itself.
  if (config?.enabled && readOnly === undefined) {
    try {
      startSession(config);
    } catch (e) {
      log.warn('sync: could not resume', e);
    }
  }

  return {
    getConfig: () => (config ? view(config) : null),
    async setConfig(input) {
      refuseIfReadOnly();
      const keep = config && input.password === undefined;
      const passwordCipher = keep && config ? config.passwordCipher : input.password ? secrets.encrypt(input.password) : '';
      const next: StoredSyncConfig = {
        url: input.url,
        database: input.database,
        username: input.username,
        passwordCipher,
        protection: keep && config ? config.protection : secrets.protection,
        enabled: config?.enabled ?? false,
        lastSyncAt: config && config.url === input.url && config.database === input.database ? lastSyncAt : '',
      };
      const wasRunning = session !== null;
      if (wasRunning) await stopSession();
      config = next;
      lastSyncAt = next.lastSyncAt;
      lastError = null;
      writeSyncConfig(dataDir, next);
      if (wasRunning) startSession(next);
      pushStatus();
      settingsChanged();
      return view(next);
    },
    async start() {
      refuseIfReadOnly();
      if (!config) throw new AppError('sync_not_configured', 'Enter the server address and database first.');
      if (session) return status();
      startSession(config);
      persist({ enabled: true });
      settingsChanged();
      return status();
    },
    async stop() {
      refuseIfReadOnly();
      await stopSession();
      persist({ enabled: false });
      pushStatus();
      settingsChanged();
      return status();
    },
    status,
    onSettingsChanged(listener) {
      settingsListeners.add(listener);
      return () => settingsListeners.delete(listener);
    },
    async testConnection(override) {
      const base = config;
      const url = override.url ?? base?.url;
      const database = override.database ?? base?.database;
      if (!url || !database) throw new AppError('sync_not_configured', 'Enter the server address and database first.');
      const username = override.username ?? base?.username ?? '';
      const password = override.password ?? (base ? readPassword(base) : '');
      return checkCouchConnection(url, remoteDatabaseNames(database), { username, password }, now);
    },
    async awaitInSync() {
      if (!session) throw new AppError('sync_not_configured', 'Sync is not running.');
      await session.awaitInSync();
      await gate.settled();
    },
    gate,
    heads,
    caughtUpAt: (collection) => caughtUp.get(collection) ?? null,
    async close() {
      if (pushTimer) clearTimeout(pushTimer);
      pushTimer = null;
      await stopSession();
      pending.close();
      stopAnnouncing();
      heads.close();
      await heads.settled();
      gate.close();
      await gate.settled();
    },
  };
}

import { afterEach, describe, expect, it } from 'vitest';
import { syncedCollectionNames } from '../../../src/main/sync/sync-collections';
import { startCouchProxy, type CouchProxy, type CouchProxyOptions } from '../../helpers/couch-proxy';
import { awaitConvergence, enrolDevice, SYNC_DB, waitFor } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';

const bed = useSyncTestBed();
let proxy: CouchProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

// Device B talks to the server directly; device A only through a proxy playing the given link.
async function devicesWithAOnProxy(link: CouchProxyOptions) {
  const b = await bed.open('B');
  const onProxy = await startCouchProxy(bed.server().url, link);
  proxy = onProxy;
  const a = await bed.open('A', { start: false });
  await a.must('sync:setConfig', { url: onProxy.url, database: SYNC_DB, username: '', password: '' });
  await a.must('sync:start', {});
  await enrolDevice(b, a);
  return { a, b, proxy: onProxy };
}

describe('a device whose live feed misses changes', () => {
  it('still receives them by reading from its checkpoint now and then', async () => {
    // The proxy swallows every live feed of A's.
    const { a, b, proxy: link } = await devicesWithAOnProxy({ holdFeeds: true });
    await waitFor('A has caught up and is waiting on its live feeds', async () =>
      (await a.status()).state === 'in_sync' && link.feedsRequested() > 0);

    // Made after A's first read: only a later read from the checkpoint can bring it.
    const made = await b.must('contacts:create', { name: 'Zofia', email: 'zofia@example.pl' });
    await b.appendEvents(made.id, 2);
    await awaitConvergence(bed.server(), [a, b], 20_000);
    expect((await a.contacts()).find((c) => c.id === made.id)).toMatchObject({ name: 'Zofia', email: 'zofia@example.pl' });
    expect(await a.eventCount()).toBe(2);
  });

  it('does not show the status as syncing for catch-up reads that bring nothing, even on a slow link', async () => {
    // Every catch-up read takes 600 ms, well past the status debounce.
    const { a, b, proxy: link } = await devicesWithAOnProxy({ holdFeeds: true, readDelayMs: 600 });
    await waitFor('A is in sync', async () => (await a.status()).state === 'in_sync', 20_000);
    await a.toldStates();

    // Three rounds of catch-up reads (one per collection each round) with nothing new.
    const readsBefore = link.changeReads();
    const perRound = syncedCollectionNames().length;
    await waitFor('three rounds of catch-up reads', () => link.changeReads() >= readsBefore + 3 * perRound, 20_000);
    await waitFor('the last reads are answered', () => link.readsInFlight() === 0);
    expect(await a.toldStates()).not.toContain('syncing');

    // Reads that do bring something are work: 2,500 events come in three pages (PULL_BATCH_SIZE),
    // each page read through the slow link, and the status says so meanwhile.
    const made = await b.must('contacts:create', { name: 'Zofia' });
    await b.appendEvents(made.id, 2500);
    await waitFor('A receives the 2,500 events', async () => (await a.eventCount()) === 2500, 60_000);
    await waitFor('A is in sync again', async () => (await a.status()).state === 'in_sync');
    expect(await a.toldStates()).toContain('syncing');
  }, 120_000);

  it('never skips a change made before its live feed opened, once a later change arrives by the feed', async () => {
    // A's live feeds reach the server 1.5 s late: `since=now` then lies after A's first read.
    const { a, b, proxy: link } = await devicesWithAOnProxy({ feedDelayMs: 1500 });
    await waitFor('A has made its first read', async () => (await a.status()).state === 'in_sync', 20_000);
    expect(link.feedsRequested()).toBeGreaterThan(0);
    // In the gap: after A's first read, before its feeds are open on the server.
    const early = await b.must('contacts:create', { name: 'Early' });
    await waitFor('the feeds are open on the server', () => link.feedsForwarded() >= syncedCollectionNames().length);
    // After: this one comes by A's live feed.
    const late = await b.must('contacts:create', { name: 'Late' });
    await waitFor('A has the later contact', async () => (await a.contacts()).some((c) => c.id === late.id), 20_000);
    await awaitConvergence(bed.server(), [a, b], 20_000);
    expect((await a.contacts()).map((c) => c.id)).toContain(early.id);
  });
});

// Arrival checks: npx tsx bench/sync/arrival-checks.bench.ts [--events 100000]
// The cost per event of the checks every replicated consent event passes before it may enter
// the store (shape, size, keys, hash, chain link, contact), against the same run's cost of
// the hash alone (what the integrity check already paid per event), as a ratio.
import { performance } from 'node:perf_hooks';
import { hashMatches, sealEvent } from '../../src/main/consent/event-hash';
import { checkConsentEvent, checkShape, type ChainView } from '../../src/main/sync/arrival-checks';
import type { ConsentEvent } from '../../src/shared/domain';

if (process.argv.includes('--help')) {
  console.log('npx tsx bench/sync/arrival-checks.bench.ts [--events N]  (default 100000)');
  process.exit(0);
}
const i = process.argv.indexOf('--events');
const EVENTS = i >= 0 && Number(process.argv[i + 1]) > 0 ? Number(process.argv[i + 1]) : 100_000;

const events: ConsentEvent[] = [];
let prevHash = '';
const at = Date.parse('2026-01-01T00:00:00Z');
for (let n = 0; n < EVENTS; n++) {
  const e = sealEvent(
    {
      id: `ev-${n}`, contactId: `c-${n % 5000}`, typeId: 't-1', status: n % 3 ? 'subscribed' : 'unsubscribed', previousStatus: 'not_specified',
      source: 'manual', legalBasis: 'consent_with_notice', explanation: `row ${n}`, actor: { kind: 'user', id: 'u-1', name: 'Bench' },
      evidence: { row: n }, occurredAt: new Date(at + n * 1000).toISOString(), recordedAt: new Date(at + n * 1000).toISOString(),
      deviceId: 'dev-bench', seq: n + 1, basedOn: '',
    },
    prevHash,
  );
  prevHash = e.hash;
  events.push(e);
}
const bySeq = new Map(events.map((e) => [e.seq, e]));
// The event being checked is not held yet (else its seq would count as taken); its predecessors are.
let checking = 0;
const view: ChainView = {
  eventAt: async (_deviceId, seq) => (seq === checking ? undefined : bySeq.get(seq)),
  keptLinkAt: async () => undefined,
  contactExists: async () => true,
};

const time = async (label: string, run: (e: ConsentEvent) => unknown) => {
  const start = performance.now();
  for (const e of events) {
    checking = e.seq;
    await run(e);
  }
  const ms = performance.now() - start;
  console.log(`${label.padEnd(38)} ${(ms / 1000).toFixed(2)} s, ${((ms * 1000) / EVENTS).toFixed(2)} µs/event`);
  return ms;
};

async function main() {
  console.log(`arrival checks over ${EVENTS.toLocaleString('en')} sealed events of one chain (Node ${process.version})`);
  const hashOnly = await time('hash only (baseline)', (e) => {
    if (!hashMatches(e)) throw new Error('bad hash');
  });
  const shape = await time('shape: size, keys, schema', (e) => {
    const v = checkShape('consent_events', e as unknown as Record<string, unknown>, JSON.stringify(e).length);
    if (!v.ok) throw new Error(v.detail);
  });
  const full = await time('all checks (shape + hash, link, contact)', async (e) => {
    const s = checkShape('consent_events', e as unknown as Record<string, unknown>, JSON.stringify(e).length);
    const v = s.ok ? await checkConsentEvent(e, view) : s;
    if (!v.ok) throw new Error(v.detail);
  });
  console.log(`ratio shape / hash only: ${(shape / hashOnly).toFixed(2)}x; all checks / hash only: ${(full / hashOnly).toFixed(2)}x`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

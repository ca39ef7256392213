import { ulid } from 'ulid';
import { sealEvent } from '../../src/main/consent/event-hash';
import type { ConsentEvent, ConsentSource, ConsentStatus, Contact, LegalBasis, SubscriptionType } from '../../src/shared/domain';
import { seededRandom } from '../../test/helpers/seeded-random';

/*
 * The shared bench data set's content, generated from fixed seeds: the same sizes give the
 * same documents, byte for byte, on every machine and in every run. Documents are the app's
 * own shapes (contacts, types, consent events sealed into per-device hash chains), so what
 * a bench measures on them is what the app does with real data.
 */

// The devices whose chains the events form (none is the device a bench opens the copy as).
export const DATASET_DEVICES = ['dev-0ff1ce00000000d1', 'dev-1a900000000000d2', 'dev-1a900000000000d3', 'dev-7ab1e00000000d4a'];
// An office desk does most of the work; laptops and a tablet in the field the rest.
const DEVICE_WEIGHTS = [0.55, 0.2, 0.15, 0.1];
const TYPE_WEIGHTS = [0.5, 0.3, 0.2];
export const BASE_TIME = Date.UTC(2024, 0, 1);
// Events are 30 s apart on average: a million of them span just under a year.
const EVENT_SPACING_MS = 30_000;
const USERS = [
  { kind: 'user', id: '01JD3Q5N8X7G2M4K6P9R1T3V5W', name: 'Anna Kowalska' },
  { kind: 'user', id: '01JD3Q5N8X7G2M4K6P9R1T3V5X', name: 'Piotr Nowak' },
  { kind: 'user', id: '01JD3Q5N8X7G2M4K6P9R1T3V5Y', name: 'Maria Wiśniewska' },
] as const;
const CITIES = ['Kraków', 'Warszawa', 'Gdańsk'];
const FIRST_NAMES = ['Anna', 'Jan', 'Zofia', 'Piotr', 'Maria', 'Krzysztof', 'Ewa', 'Tomasz', 'Agnieszka', 'Paweł', 'Ola', 'Marek'];
const LAST_NAMES = ['Nowak', 'Kowalski', 'Wiśniewska', 'Wójcik', 'Kamińska', 'Lewandowski', 'Zielińska', 'Szymański', 'Dąbrowska', 'Król'];

export function datasetTypes(): SubscriptionType[] {
  const at = new Date(BASE_TIME - 7 * 86_400_000).toISOString();
  const type = (id: string, name: string, purpose: SubscriptionType['purpose'], businessNumber: string): SubscriptionType => ({
    id, name, purpose, businessNumber, phoneNumberId: '', businessName: 'Sklep Bench', validForMonths: 0, archived: false, createdAt: at, updatedAt: at,
  });
  return [
    type('type-bench-news', 'Newsletter', 'marketing', '+48221234567'),
    type('type-bench-offers', 'Offers', 'marketing', '+48221234568'),
    type('type-bench-service', 'Service updates', 'transactional', '+48221234567'),
  ];
}

// Contact ids are ULIDs of their creation times (a day before the first event), in order.
export function datasetContacts(count: number): Contact[] {
  const random = seededRandom(11);
  return Array.from({ length: count }, (_, i): Contact => {
    const created = new Date(BASE_TIME - 86_400_000 + i * 100).toISOString();
    const first = FIRST_NAMES[i % FIRST_NAMES.length] ?? 'Anna';
    const last = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length] ?? 'Nowak';
    const number = `+48${String(500_000_000 + i * 7).padStart(9, '0')}`;
    return {
      id: ulid(BASE_TIME - 86_400_000 + i * 100, random),
      name: `${first} ${last} ${i}`,
      email: i % 3 === 0 ? `kontakt${i}@example.pl` : '',
      phoneInput: number,
      waNumber: number,
      phoneValid: true,
      properties: i % 4 === 0 ? { city: CITIES[i % CITIES.length] ?? 'Kraków' } : {},
      tags: i % 5 === 0 ? ['vip'] : [],
      createdAt: created,
      updatedAt: created,
      lastInboundAt: '',
    };
  });
}

const weighted = (weights: readonly number[], r: number): number => {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i] ?? 0;
    if (r < sum) return i;
  }
  return weights.length - 1;
};

type Step = { status: ConsentStatus; source: ConsentSource; legalBasis: LegalBasis | ''; byContact: boolean };

// The next change of one subscription given its status: mostly opt-ins at first (imports,
// staff at the desk), then opt-outs by keyword, re-subscriptions, the odd reset.
function nextStep(previous: ConsentStatus, r: number): Step {
  if (previous === 'not_specified') {
    if (r < 0.55) return { status: 'subscribed', source: 'csv_import', legalBasis: 'consent_with_notice', byContact: false };
    if (r < 0.85) return { status: 'subscribed', source: 'manual', legalBasis: 'consent_with_notice', byContact: false };
    if (r < 0.95) return { status: 'subscribed', source: 'keyword', legalBasis: 'consent_with_notice', byContact: true };
    return { status: 'unsubscribed', source: 'manual', legalBasis: '', byContact: false };
  }
  if (previous === 'subscribed') {
    if (r < 0.6) return { status: 'unsubscribed', source: 'keyword', legalBasis: '', byContact: true };
    if (r < 0.8) return { status: 'unsubscribed', source: 'manual', legalBasis: '', byContact: false };
    if (r < 0.95) return { status: 'subscribed', source: 'bulk', legalBasis: 'legitimate_interest_client', byContact: false };
    return { status: 'not_specified', source: 'manual', legalBasis: '', byContact: false };
  }
  if (r < 0.5) return { status: 'subscribed', source: 'keyword', legalBasis: 'consent_with_notice', byContact: true };
  if (r < 0.85) return { status: 'subscribed', source: 'manual', legalBasis: 'consent_with_notice', byContact: false };
  return { status: 'unsubscribed', source: 'bulk', legalBasis: '', byContact: false };
}

/*
 * `events` consent events over the given contacts, `batchSize` at a time (a million are never
 * held at once). The first pass gives every contact one event (the initial import); after that
 * a few contacts are much busier than most. Each event is sealed into its device's chain, and
 * its previousStatus is the status its subscription had, as the app would have recorded it.
 */
export function* datasetEventBatches(events: number, contacts: readonly Contact[], batchSize: number): Generator<ConsentEvent[]> {
  const random = seededRandom(42);
  const types = datasetTypes();
  const heads = DATASET_DEVICES.map(() => ({ seq: 0, hash: '' }));
  const statusOf = new Map<string, ConsentStatus>();
  const lastEventOf = new Map<string, string>();
  for (let start = 0; start < events; start += batchSize) {
    const batch: ConsentEvent[] = [];
    for (let i = start; i < Math.min(events, start + batchSize); i++) {
      const contact = i < contacts.length ? contacts[i] : contacts[Math.floor(contacts.length * random() ** 2)];
      if (!contact) throw new Error('the data set needs at least one contact');
      const typeId = types[weighted(TYPE_WEIGHTS, random())]?.id ?? '';
      const key = `${contact.id}|${typeId}`;
      const previousStatus = statusOf.get(key) ?? 'not_specified';
      const step = nextStep(previousStatus, random());
      const device = weighted(DEVICE_WEIGHTS, random());
      const head = heads[device] ?? { seq: 0, hash: '' };
      const occurred = BASE_TIME + i * EVENT_SPACING_MS + Math.floor(random() * 20_000);
      const user = USERS[device % USERS.length] ?? USERS[0];
      const event = sealEvent(
        {
          id: ulid(occurred, random),
          contactId: contact.id,
          typeId,
          status: step.status,
          previousStatus,
          source: step.source,
          legalBasis: step.legalBasis,
          explanation: step.source === 'manual' ? 'Zgoda udzielona przy ladzie, formularz papierowy' : '',
          actor: step.byContact ? { kind: 'contact', id: contact.id, name: contact.name } : { ...user },
          evidence: step.source === 'csv_import' ? { fileName: 'kontakty-2024.csv', row: i + 2 } : step.byContact ? { text: step.status === 'subscribed' ? 'START' : 'STOP' } : {},
          occurredAt: new Date(occurred).toISOString(),
          recordedAt: new Date(occurred + 1000 + Math.floor(random() * 4000)).toISOString(),
          deviceId: DATASET_DEVICES[device] ?? '',
          seq: head.seq + 1,
          basedOn: lastEventOf.get(key) ?? '',
        },
        head.hash,
      );
      heads[device] = { seq: event.seq, hash: event.hash };
      statusOf.set(key, step.status);
      lastEventOf.set(key, event.id);
      batch.push(event);
    }
    yield batch;
  }
}

import { ALL_WHATSAPP_TYPE_ID, type ActorKind, type ConsentEvent, type ConsentSource, type ConsentStatus } from '../../../../src/shared/domain';
export { seededRandom } from '../../../helpers/seeded-random';

export { ALL_WHATSAPP_TYPE_ID };

type EventInput = {
  id: string;
  status: ConsentStatus;
  at: string;
  actor?: ActorKind;
  basedOn?: string;
  deviceId?: string;
  seq?: number;
  typeId?: string;
  contactId?: string;
  source?: ConsentSource;
};

const SOURCE_BY_ACTOR: Record<ActorKind, ConsentSource> = {
  contact: 'keyword',
  user: 'manual',
  workflow: 'workflow',
  system: 'csv_import',
};

export function makeEvent(input: EventInput): ConsentEvent {
  const actor = input.actor ?? 'user';
  return {
    id: input.id,
    contactId: input.contactId ?? 'c1',
    typeId: input.typeId ?? 'mkt',
    status: input.status,
    previousStatus: 'not_specified',
    source: input.source ?? SOURCE_BY_ACTOR[actor],
    legalBasis: actor === 'contact' ? '' : 'consent_with_notice',
    explanation: '',
    actor: { kind: actor, id: `${actor}-1`, name: actor },
    evidence: {},
    occurredAt: input.at,
    recordedAt: input.at,
    deviceId: input.deviceId ?? 'dev-a',
    seq: input.seq ?? 1,
    basedOn: input.basedOn ?? '',
    hash: '',
    prevHash: '',
  };
}


export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = copy[i];
    const b = copy[j];
    if (a === undefined || b === undefined) continue;
    copy[i] = b;
    copy[j] = a;
  }
  return copy;
}

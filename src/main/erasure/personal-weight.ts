import type { ConsentEvent } from '../../shared/domain';
import type { AuditLogDoc, InboundMessageDoc } from '../store/schemas/operations-schemas';
import { inboundTextCount } from './contact-scrub';

/*
 * How much personal data one copy of an insert-only record holds. Erasure and retention only
 * ever remove, so of two copies of one record the one holding less is the later one: sync
 * pushes it over the server's copy and keeps it against an older copy pulled from the server
 * or pushed by a device that was offline (sync/conflict-handlers.ts). Other differences
 * between two copies of one id are not changes (the record is insert-only).
 */
export function personalWeight(collection: string, doc: unknown): number {
  if (!doc || typeof doc !== 'object') return 0;
  if (collection === 'consent_events') return heldValues(doc as ConsentEvent);
  if (collection === 'inbound_messages') return inboundTextCount(doc as InboundMessageDoc);
  if (collection === 'audit_log') {
    const event = ((doc as AuditLogDoc).details as { event?: unknown } | undefined)?.event;
    return event && typeof event === 'object' ? heldValues(event as ConsentEvent) : 0;
  }
  return 0;
}

function heldValues(event: ConsentEvent): number {
  const personal = event.personal;
  if (!personal || typeof personal !== 'object') return 0;
  let n = 0;
  for (const entry of Object.values(personal)) if (entry && typeof entry === 'object' && entry.s !== undefined) n += 1;
  return n;
}

import * as crypto from 'node:crypto';
import type { ConsentEvent, PersonalDigests } from '../../shared/domain';

/*
 * Personal fields of a consent event, committed to through salted digests (docs/erasure.md).
 *
 * An event written with a `personal` map does not hash its personal values: the hashed form
 * has '' where each value was and, in `personal`, only the digest HMAC-SHA256(salt, value).
 * The value and its 16-byte random salt stay in the document beside the digest, so a present
 * value is proved by recomputing its digest. Erasure deletes the value (→ '') and the salt:
 * the hashed form, the event hash and any signature over it are unchanged, and without the
 * salt the digest of a phone number or a short text cannot be guessed back.
 *
 * Events without `personal` (written before this) hash their values as they always did.
 */

// Evidence keys that hold ids, codes and facts about the business or its staff, never about
// the contact: the app reads some of them (undo, review, relay attribution), so they stay
// readable after an erasure. Every other text in evidence counts as personal, so a new
// evidence key is erasable by default.
const STRUCTURAL_EVIDENCE_KEYS = new Set([
  'messageId', 'businessNumber', 'phoneNumberId', 'messageType', 'importedById', 'importedByName', 'futureDated',
  'template', 'keyword', 'language', 'preference', 'channel', 'importId', 'fileHash', 'fileName', 'row',
  'bulkId', 'undoOf', 'ruleId', 'ruleVersion', 'trigger', 'triggerId', 'runId', 'reviewItemId', 'overriddenEventId',
  'protectedOptOutId', 'statusId', 'errorCode', 'errorTitle', 'suspendedUntilReconfirmed', 'renewsExpiredConsent',
  'confirmedNewConsentAfterOwnOptOut', 'erasureOf', 'restated',
]);

export const isStructuralEvidenceKey = (key: string): boolean => STRUCTURAL_EVIDENCE_KEYS.has(key);

const EXPLANATION = 'explanation';
// No dots in these keys: RxDB reads nested document fields by dotted paths.
const ACTOR_NAME = 'actor/name';
const EVIDENCE_PREFIX = 'evidence/';

type PersonalFields = Pick<ConsentEvent, 'explanation' | 'actor' | 'evidence'>;

export const digestOf = (salt: string, value: string): string =>
  crypto.createHmac('sha256', Buffer.from(salt, 'hex')).update(value, 'utf8').digest('hex');

// The paths of the event's personal values that are not empty.
export function personalPaths(event: PersonalFields): string[] {
  const paths: string[] = [];
  if (event.explanation !== '') paths.push(EXPLANATION);
  if (event.actor.kind === 'contact' && event.actor.name !== '') paths.push(ACTOR_NAME);
  for (const key of Object.keys(event.evidence).sort()) {
    const value = event.evidence[key];
    if (typeof value === 'string' && value !== '' && !STRUCTURAL_EVIDENCE_KEYS.has(key)) paths.push(EVIDENCE_PREFIX + key);
  }
  return paths;
}

export function valueAt(event: PersonalFields, path: string): string | undefined {
  if (path === EXPLANATION) return event.explanation;
  if (path === ACTOR_NAME) return event.actor.name;
  if (path.startsWith(EVIDENCE_PREFIX)) {
    const value = event.evidence[path.slice(EVIDENCE_PREFIX.length)];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

// The event's personal fields with '' at every given path: the form that is hashed, and the
// form an erased event keeps.
export function blankedFields(event: PersonalFields, paths: Iterable<string>): PersonalFields {
  let explanation = event.explanation;
  let actor = event.actor;
  let evidence = event.evidence;
  for (const path of paths) {
    if (path === EXPLANATION) explanation = '';
    else if (path === ACTOR_NAME) actor = { ...actor, name: '' };
    else if (path.startsWith(EVIDENCE_PREFIX)) {
      const key = path.slice(EVIDENCE_PREFIX.length);
      if (typeof evidence[key] === 'string') evidence = { ...evidence, [key]: '' };
    }
  }
  return { explanation, actor, evidence };
}

// A fresh salt and digest for each personal value of a new event.
export function newPersonalDigests(event: PersonalFields): PersonalDigests | undefined {
  const paths = personalPaths(event);
  if (paths.length === 0) return undefined;
  const personal: PersonalDigests = {};
  for (const path of paths) {
    const salt = crypto.randomBytes(16).toString('hex');
    personal[path] = { d: digestOf(salt, valueAt(event, path) ?? ''), s: salt };
  }
  return personal;
}

// What the hash covers in place of the `personal` map: the digests alone.
export function digestsOnly(personal: PersonalDigests): Record<string, string> {
  const out: Record<string, string> = {};
  for (const path of Object.keys(personal)) out[path] = personal[path]?.d ?? '';
  return out;
}

export type PersonalVerdict = 'intact' | 'erased' | 'altered';

/*
 * Each personal entry is either present (value and salt, the digest matches) or erased (no
 * salt, value ''). A value without its salt, a salt without a matching value, or a value at
 * a path the map does not name is an alteration the event hash alone would not see.
 */
export function personalVerdict(event: ConsentEvent): PersonalVerdict {
  const personal = event.personal;
  if (!personal) return 'intact';
  let erased = false;
  for (const path of Object.keys(personal)) {
    const entry = personal[path];
    const value = valueAt(event, path);
    if (!entry || typeof entry.d !== 'string' || value === undefined) return 'altered';
    if (entry.s === undefined) {
      if (value !== '') return 'altered';
      erased = true;
    } else if (typeof entry.s !== 'string' || digestOf(entry.s, value) !== entry.d) return 'altered';
  }
  for (const path of personalPaths(event)) if (!(path in personal)) return 'altered';
  return erased ? 'erased' : 'intact';
}

// The event with its personal values and salts deleted; the digests (and so the hash) stay.
// An event written before salted digests (no `personal` map) cannot be changed this way.
export function erasePersonalValues(event: ConsentEvent): ConsentEvent {
  const personal = event.personal;
  if (!personal) return event;
  const erased: PersonalDigests = {};
  for (const path of Object.keys(personal)) erased[path] = { d: personal[path]?.d ?? '' };
  return { ...event, ...blankedFields(event, Object.keys(personal)), personal: erased };
}

// The event with the values and salts at the given paths deleted, the rest kept (retention
// removes only message text). Paths the map does not name are left alone.
export function erasePersonalPaths(event: ConsentEvent, paths: readonly string[]): ConsentEvent {
  const personal = event.personal;
  if (!personal) return event;
  const chosen = paths.filter((path) => personal[path]?.s !== undefined);
  if (chosen.length === 0) return event;
  const next: PersonalDigests = { ...personal };
  for (const path of chosen) next[path] = { d: personal[path]?.d ?? '' };
  return { ...event, ...blankedFields(event, chosen), personal: next };
}

export const holdsPersonalValues = (event: ConsentEvent): boolean =>
  event.personal !== undefined && Object.values(event.personal).some((e) => e.s !== undefined);

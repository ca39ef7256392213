import { createHash } from 'node:crypto';
import type { RxCollection } from 'rxdb';
import { z } from 'zod';
import { canonicalJson } from '../../shared/consent/canonical-json';
import type { DeviceRegistry } from '../device/device-registry';
import type { Logger } from '../logger';
import type { AppDatabase } from '../store/database';
import type { AuditLogDoc } from '../store/schemas/operations-schemas';
import { insertMissing } from '../store/insert-documents';
import { queryPlain } from '../store/plain-documents';
import { canonicalValue } from './field-merge';
import { SIGNED_COLLECTIONS, signedFieldsOf, type FieldSignatures } from './signed-changes';

/*
 * What proves a users, settings, rule or type document unsigned because it is older than
 * signing (issue 25), rather than forged by a server: the list, signed by a device when it
 * first runs a version that signs, of the unsigned field values it holds then. A new document
 * that arrives with unsigned fields is legacy only if every such field's value is listed by an
 * enrolled device's manifest; otherwise it is kept aside (`unsigned_change`). Times and
 * `createdAt` prove nothing: they are written by whoever wrote the document.
 *
 * A manifest lists digests, not values (no personal data in the audit log): sha256 over
 * (collection, id, field, canonical value), 128 bits, base64url. It travels in the audit log
 * (shared, insert-only, replicated), in parts small enough for the arrival size limit.
 */
export const LEGACY_MANIFEST_ACTION = 'device.legacy_documents';
const DIGESTS_PER_PART = 1500;
const MANIFEST_FILED = 'device-trust:legacy-manifest';

export const legacyFieldDigest = (collection: string, docId: string, field: string, value: unknown): string =>
  createHash('sha256').update(JSON.stringify([collection, docId, field, canonicalValue(value)])).digest().subarray(0, 16).toString('base64url');

const manifestSchema = z.strictObject({
  v: z.literal(1),
  deviceId: z.string().regex(/^dev-[0-9a-f]{16}$/),
  part: z.number().int().min(0).max(10_000),
  at: z.string().max(30),
  digests: z.array(z.string().regex(/^[A-Za-z0-9_-]{22}$/)).max(DIGESTS_PER_PART),
  sig: z.string().max(100),
});
export type LegacyManifest = z.infer<typeof manifestSchema>;

export const manifestId = (deviceId: string, part: number) => `device:legacy:${deviceId}:${part}`;
const manifestMessage = (m: Omit<LegacyManifest, 'sig'> | LegacyManifest) => {
  const { sig: _sig, ...content } = m as LegacyManifest;
  return `consentdesk/legacy-documents/v1\n${canonicalJson(content)}`;
};

export const isLegacyManifestAction = (action: unknown): boolean => action === LEGACY_MANIFEST_ACTION;

export function manifestOfEntry(entry: { id?: unknown; action?: unknown; details?: unknown }): { manifest: LegacyManifest } | { problem: string } {
  const parsed = manifestSchema.safeParse((entry.details as { manifest?: unknown } | undefined)?.manifest);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { problem: first ? `manifest.${first.path.join('.')}: ${first.message}` : 'not a legacy manifest' };
  }
  if (entry.id !== manifestId(parsed.data.deviceId, parsed.data.part)) return { problem: `a legacy manifest of ${parsed.data.deviceId} filed under another id` };
  return { manifest: parsed.data };
}

export type ManifestVerdict = { ok: true } | { ok: false; reason: 'malformed' | 'unknown_device' | 'device_revoked' | 'bad_signature'; detail: string; waitingFor?: string };

// On arrival and on every read: signed by the device it names, enrolled (and not revoked) when it was filed.
export function checkManifestEntry(entry: Record<string, unknown>, registry: DeviceRegistry): ManifestVerdict {
  const found = manifestOfEntry(entry);
  if ('problem' in found) return { ok: false, reason: 'malformed', detail: found.problem };
  const { manifest } = found;
  return registry.checkSignedBy(manifest.deviceId, manifest.at, manifestMessage(manifest), manifest.sig);
}

// The digests of legacy fields that enrolled devices vouch for.
export async function vouchedLegacyFields(db: AppDatabase, registry: DeviceRegistry): Promise<Set<string>> {
  const vouched = new Set<string>();
  for (const entry of await queryPlain(db.audit_log, { selector: { action: LEGACY_MANIFEST_ACTION } })) {
    const found = manifestOfEntry(entry);
    if ('manifest' in found && checkManifestEntry(entry as unknown as Record<string, unknown>, registry).ok) for (const d of found.manifest.digests) vouched.add(d);
  }
  return vouched;
}

/*
 * Once per device, at the first start of a version that files manifests: every field of a
 * signed collection's document held here that carries no signature (so written before
 * signing, or taken in as legacy since), listed and signed. Later starts do nothing.
 */
export async function fileLegacyManifest(deps: { db: AppDatabase; deviceId: string; sign(message: string): string; now: () => Date; log: Logger }): Promise<void> {
  const { db, deviceId, now } = deps;
  if (await db.local_meta.findOne(MANIFEST_FILED).exec()) return;
  const digests: string[] = [];
  for (const collection of SIGNED_COLLECTIONS) {
    const ref = db.collections[collection] as unknown as RxCollection<Record<string, unknown>>;
    const primaryKey = ref.schema.primaryPath as string;
    for (const d of await queryPlain(ref, {})) {
      const sigs = d.fieldSigs as FieldSignatures | undefined;
      for (const field of signedFieldsOf(d, primaryKey)) if (sigs?.[field] === undefined) digests.push(legacyFieldDigest(collection, String(d[primaryKey]), field, d[field]));
    }
  }
  const at = now().toISOString();
  const entries: AuditLogDoc[] = [];
  for (let part = 0; part * DIGESTS_PER_PART < digests.length; part++) {
    const content = { v: 1 as const, deviceId, part, at, digests: digests.slice(part * DIGESTS_PER_PART, (part + 1) * DIGESTS_PER_PART) };
    const manifest: LegacyManifest = { ...content, sig: deps.sign(manifestMessage(content)) };
    entries.push({ id: manifestId(deviceId, part), action: LEGACY_MANIFEST_ACTION, actorId: 'system', actorName: 'Consent Desk', details: { manifest }, at, deviceId });
  }
  if (entries.length > 0) await insertMissing(db.audit_log, entries);
  await db.local_meta.upsert({ id: MANIFEST_FILED, value: { at, fields: digests.length }, updatedAt: at });
  if (digests.length > 0) deps.log.info(`sync: ${digests.length} unsigned fields from before signing listed in this device's legacy manifest`);
}

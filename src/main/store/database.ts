import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import type { ConsentEvent, ConsentStateRow, Contact, SubscriptionType, User } from '../../shared/domain';
import { type IndexOnlyVersions, upgradeIndexOnlyVersions } from './index-only-upgrade';
import { consentEventSchema, consentStateSchema } from './schemas/consent-schemas';
import {
  auditLogSchema,
  importJobSchema,
  inboundMessageSchema,
  reviewItemSchema,
  settingSchema,
  type AuditLogDoc,
  type ImportJobDoc,
  localMetaSchema,
  type InboundMessageDoc,
  type LocalMetaDoc,
  type ReviewItemDoc,
  type SettingDoc,
} from './schemas/operations-schemas';
import { contactSchema, subscriptionTypeSchema, userSchema } from './schemas/people-schemas';
import { ruleRunSchema, ruleSchema, type RuleDoc, type RuleRunDoc } from './schemas/rule-schemas';

// A schema version bump ships with its migration strategy (see test/integration/store/app-schema-migration.test.ts).
addRxPlugin(RxDBMigrationSchemaPlugin);

// RxDB's free build opens at most 13 collections per process; the app uses all 13.
export type AppCollections = {
  users: RxCollection<User>;
  contacts: RxCollection<Contact>;
  subscription_types: RxCollection<SubscriptionType>;
  consent_events: RxCollection<ConsentEvent>;
  consent_state: RxCollection<ConsentStateRow>;
  inbound_messages: RxCollection<InboundMessageDoc>;
  review_items: RxCollection<ReviewItemDoc>;
  settings: RxCollection<SettingDoc>;
  import_jobs: RxCollection<ImportJobDoc>;
  audit_log: RxCollection<AuditLogDoc>;
  rules: RxCollection<RuleDoc>;
  rule_runs: RxCollection<RuleRunDoc>;
  local_meta: RxCollection<LocalMetaDoc>;
};

export type AppDatabase = RxDatabase<AppCollections>;

export const DATABASE_NAME = 'consentdesk';

// The strategy of versions that only dropped indexes: the documents stay as they are (RxDB
// keeps their _meta.lwt, so change-index checkpoints of the projection and of sync stay valid).
const sameDocument = <T>(doc: T): T => doc;
// A version that only added an optional field: old documents are valid as they are, but RxDB
// must still rewrite them under the new version (so this is not sameDocument).
const addsOptionalField = <T>(doc: T): T => doc;

export const COLLECTION_SCHEMAS = {
  users: { schema: userSchema },
  contacts: { schema: contactSchema, migrationStrategies: { 1: sameDocument } },
  subscription_types: { schema: subscriptionTypeSchema, migrationStrategies: { 1: addsOptionalField } },
  consent_events: { schema: consentEventSchema, migrationStrategies: { 1: sameDocument, 2: addsOptionalField } },
  consent_state: { schema: consentStateSchema, migrationStrategies: { 1: sameDocument } },
  inbound_messages: { schema: inboundMessageSchema },
  review_items: { schema: reviewItemSchema },
  settings: { schema: settingSchema },
  import_jobs: { schema: importJobSchema },
  audit_log: { schema: auditLogSchema },
  rules: { schema: ruleSchema },
  rule_runs: { schema: ruleRunSchema },
  local_meta: { schema: localMetaSchema },
} as const;

// The versions whose strategy is sameDocument, applied in SQL before RxDB opens where that is
// safe (index-only-upgrade.ts); RxDB runs the strategies for everything else.
export const INDEX_ONLY_VERSIONS: IndexOnlyVersions = Object.fromEntries(
  Object.entries(COLLECTION_SCHEMAS).map(([name, creator]) => {
    const strategies: Record<string, unknown> = 'migrationStrategies' in creator ? creator.migrationStrategies : {};
    return [name, Object.keys(strategies).filter((v) => strategies[v] === sameDocument).map(Number)];
  }),
);

export async function openAppDatabase(
  storage: RxStorage<unknown, unknown>,
  name: string = DATABASE_NAME,
): Promise<AppDatabase> {
  await upgradeIndexOnlyVersions(storage, name, COLLECTION_SCHEMAS as never, INDEX_ONLY_VERSIONS);
  const db = await createRxDatabase<AppCollections>({
    name,
    storage,
    // One main process owns the file; windows talk to it over IPC.
    multiInstance: false,
    eventReduce: true,
    closeDuplicates: true,
  });
  try {
    await db.addCollections(COLLECTION_SCHEMAS);
  } catch (error) {
    // Let go of the file, so that a caller may open it again (read-only-start.ts).
    await db.close().catch(() => false);
    throw error;
  }
  return db;
}

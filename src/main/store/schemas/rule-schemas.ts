import type { RxJsonSchema } from 'rxdb';
import type { RuleRun } from '../../../shared/api/automation-channels';
import type { Rule } from '../../../shared/automation/rule-model';
import { ANY_OBJECT, BOOL, ID, ISO_TIME, SEQ, SHORT_TEXT, STRING_MAP } from './schema-helpers';

// A rule's current version: a mutable, replicated document (per-field merge). Each save
// bumps `version`; the definition of every version is kept in the audit log.
export type RuleDoc = Rule & { fieldClock?: Record<string, string> };

export const ruleSchema: RxJsonSchema<RuleDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: ID,
    name: SHORT_TEXT,
    version: SEQ,
    enabled: BOOL,
    trigger: ANY_OBJECT,
    conditions: ANY_OBJECT,
    actions: { type: 'array', items: ANY_OBJECT },
    createdAt: ISO_TIME,
    updatedAt: ISO_TIME,
    updatedBy: ID,
    fieldClock: STRING_MAP,
  },
  required: ['id', 'name', 'version', 'enabled', 'trigger', 'conditions', 'actions', 'createdAt', 'updatedAt', 'updatedBy'],
};

// The run log: what each run of a rule did on this device. Local, like import jobs.
export type RuleRunDoc = RuleRun;

export const ruleRunSchema: RxJsonSchema<RuleRunDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: ID,
    ruleId: ID,
    ruleVersion: SEQ,
    ruleName: SHORT_TEXT,
    trigger: { type: 'string', maxLength: 32 },
    triggerRef: { type: 'string' },
    startedAt: ISO_TIME,
    finishedAt: ISO_TIME,
    considered: SEQ,
    matched: SEQ,
    changed: SEQ,
    skipped: SEQ,
    failed: SEQ,
    skipReasons: ANY_OBJECT,
    items: { type: 'array', items: ANY_OBJECT },
    note: { type: 'string', maxLength: 32 },
    chainDepth: SEQ,
    deviceId: ID,
    startedBy: SHORT_TEXT,
  },
  required: [
    'id', 'ruleId', 'ruleVersion', 'ruleName', 'trigger', 'triggerRef', 'startedAt', 'finishedAt', 'considered', 'matched',
    'changed', 'skipped', 'failed', 'skipReasons', 'items', 'note', 'chainDepth', 'deviceId', 'startedBy',
  ],
  indexes: [['ruleId', 'startedAt']],
};

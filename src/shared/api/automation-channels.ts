import { z } from 'zod';
import type { ConsentStatus } from '../domain';
import type { FactShown } from '../automation/rule-evaluator';
import { ruleDefinition, type Rule, type SkipReason, type TriggerKind } from '../automation/rule-model';
import { ADMIN_ONLY, channel } from './channel';

// Automation (SPEC 7): rules that change consent on the device, safely.

export type PlannedChangeView =
  | { kind: 'status'; typeId: string; from: ConsentStatus; to: ConsentStatus }
  | { kind: 'tag'; tag: string };

export type DryRunItem = {
  contactId: string;
  contactName: string;
  changes: PlannedChangeView[];
  skips: Array<{ actionIndex: number; reason: SkipReason }>;
  // The contact's values of the fields the conditions look at: why it matched.
  facts: FactShown[];
};

export type DryRunReport = {
  candidates: number;
  matched: number;
  wouldChange: number;
  skipped: number;
  skipReasons: Partial<Record<SkipReason, number>>;
  // Contacts the rule would subscribe again whose current opt-out came from a CSV import:
  // the person running the rule is warned before undoing a file's unsubscribes.
  resubscribesImportOptOuts: number;
  // Contacts that would change first, then the skipped ones; at most `limit`.
  items: DryRunItem[];
  truncated: boolean;
};

export const RUN_ITEM_OUTCOMES = ['changed', 'skipped', 'failed'] as const;
export type RunItemOutcome = (typeof RUN_ITEM_OUTCOMES)[number];

export type RunItem = {
  contactId: string;
  contactName: string;
  outcome: RunItemOutcome;
  changes: PlannedChangeView[];
  reasons: SkipReason[];
  // What went wrong, for a failed contact.
  error: string;
};

// 'depth_limit': the rule was not run because a chain of rules reached the limit.
export const RUN_NOTES = ['', 'depth_limit'] as const;
export type RunNote = (typeof RUN_NOTES)[number];

export type RuleRun = {
  id: string;
  ruleId: string;
  ruleVersion: number;
  ruleName: string;
  trigger: TriggerKind;
  // The trigger's identity (run id, message id, import id), or how many triggers a batch held.
  triggerRef: string;
  startedAt: string;
  finishedAt: string;
  // Contacts the trigger fired for, those whose conditions held, and what happened to them.
  considered: number;
  matched: number;
  changed: number;
  skipped: number;
  failed: number;
  skipReasons: Partial<Record<SkipReason, number>>;
  // Changed, skipped and failed contacts; at most RUN_ITEM_LIMIT are kept.
  items: RunItem[];
  note: RunNote;
  chainDepth: number;
  deviceId: string;
  startedBy: string;
};

export const RUN_ITEM_LIMIT = 500;

export type RuleListItem = Rule & { lastRun: RuleRun | null };

const ruleId = z.string().min(1).max(128);

export const automationChannels = {
  'rules:list': channel<RuleListItem[]>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary: 'Every rule (current version), by name, with its latest run on this device.',
    returns: 'RuleListItem[] (Rule + lastRun)',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'rules:get': channel<Rule>()({
    input: z.object({ id: ruleId }).strict(),
    access: 'signed_in',
    summary: 'One rule, current version.',
    returns: 'Rule',
    errors: ['invalid_input', 'not_signed_in', 'not_found'],
  }),
  'rules:save': channel<Rule>()({
    input: z
      .object({
        // '' creates a rule (disabled); otherwise a new version of that rule.
        id: z.string().max(128).default(''),
        // The version the editor started from; a rule changed since then is refused.
        baseVersion: z.number().int().min(0).default(0),
        rule: ruleDefinition,
      })
      .strict(),
    access: ADMIN_ONLY,
    summary:
      'Create a rule or save a new version of one (every edit is a new version; events record rule id and version). Types named in conditions and actions must exist.',
    returns: 'Rule',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict'],
  }),
  'rules:setEnabled': channel<Rule>()({
    input: z.object({ id: ruleId, enabled: z.boolean() }).strict(),
    access: ADMIN_ONLY,
    summary: 'Enable or disable a rule. Only enabled rules react to triggers; the version does not change.',
    returns: 'Rule',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found'],
  }),
  'rules:dryRun': channel<DryRunReport>()({
    input: z
      .object({
        // A saved rule, or an unsaved draft from the editor.
        id: z.string().max(128).default(''),
        rule: ruleDefinition.optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict()
      .refine((v) => v.id !== '' || v.rule !== undefined, 'Name a rule id or give a rule.'),
    access: 'signed_in',
    summary:
      'What the rule would change now, changing nothing: the contacts of its filter (run-now rules) or all contacts, checked against its conditions, with the changes or the reasons to skip.',
    returns: 'DryRunReport',
    errors: ['invalid_input', 'not_signed_in', 'not_found'],
  }),
  'rules:runNow': channel<RuleRun>()({
    input: z
      .object({
        id: ruleId,
        // Names this run on every device (event ids derive from it); made here when empty.
        runId: z.string().regex(/^[A-Za-z0-9_-]*$/).max(64).default(''),
      })
      .strict(),
    access: ADMIN_ONLY,
    summary:
      'Run a rule now over its filter (or all contacts), enabled or not. Changes are recorded with the rule as actor; a run id already used records nothing twice.',
    returns: 'RuleRun',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found'],
  }),
  'rules:runs': channel<RuleRun[]>()({
    input: z.object({ ruleId, limit: z.number().int().min(1).max(200).default(50) }).strict(),
    access: 'signed_in',
    summary: 'The run log of a rule on this device, newest first.',
    returns: 'RuleRun[]',
    errors: ['invalid_input', 'not_signed_in'],
  }),
};

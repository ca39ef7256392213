import { create } from 'zustand';
import type { DryRunReport, RuleListItem, RuleRun } from '../../../shared/api/automation-channels';
import { emptyConditions, type Rule, type RuleDefinition } from '../../../shared/automation/rule-model';
import { must } from '../api/client';

// The Automation screen: the rule list, the rule being edited (a draft until saved),
// its dry run and its run log.
export type Draft = { id: string; version: number; enabled: boolean; rule: RuleDefinition };

// A rule exists to change consent, so a new one starts with a status change on the first
// type; tags are the exception, picked on purpose.
export const newDraft = (firstTypeId: string): Draft => ({
  id: '',
  version: 0,
  enabled: false,
  rule: {
    name: '',
    trigger: { kind: 'contact_created' },
    conditions: emptyConditions(),
    actions: [{ kind: 'set_status', typeId: firstTypeId, status: 'subscribed', legalBasis: '', explanation: '' }],
  },
});

const draftOf = (r: Rule): Draft => ({
  id: r.id,
  version: r.version,
  enabled: r.enabled,
  rule: { name: r.name, trigger: r.trigger, conditions: r.conditions, actions: r.actions },
});

type AutomationState = {
  rules: RuleListItem[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string;
  draft: Draft | null;
  dirty: boolean;
  dryRun: DryRunReport | null;
  runs: RuleRun[];
  load(): Promise<void>;
  open(id: string): Promise<void>;
  create(firstTypeId: string): void;
  close(): void;
  edit(rule: RuleDefinition): void;
  save(): Promise<Rule>;
  setEnabled(enabled: boolean): Promise<void>;
  runDry(): Promise<void>;
  runNow(): Promise<RuleRun>;
  loadRuns(): Promise<void>;
};

export const useAutomation = create<AutomationState>((set, get) => ({
  rules: [],
  status: 'idle',
  error: '',
  draft: null,
  dirty: false,
  dryRun: null,
  runs: [],
  async load() {
    if (get().status === 'idle') set({ status: 'loading' });
    try {
      set({ rules: await must('rules:list', {}), status: 'ready', error: '' });
    } catch (e) {
      set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  },
  async open(id) {
    const rule = await must('rules:get', { id });
    set({ draft: draftOf(rule), dirty: false, dryRun: null, runs: [] });
    await get().loadRuns();
  },
  create: (firstTypeId) => set({ draft: newDraft(firstTypeId), dirty: true, dryRun: null, runs: [] }),
  close: () => set({ draft: null, dirty: false, dryRun: null, runs: [] }),
  edit(rule) {
    const draft = get().draft;
    if (draft) set({ draft: { ...draft, rule }, dirty: true, dryRun: null });
  },
  async save() {
    const draft = get().draft;
    if (!draft) throw new Error('no rule is open');
    const saved = await must('rules:save', { id: draft.id, baseVersion: draft.version, rule: draft.rule });
    set({ draft: draftOf(saved), dirty: false });
    await get().load();
    return saved;
  },
  async setEnabled(enabled) {
    const draft = get().draft;
    if (!draft?.id) return;
    const saved = await must('rules:setEnabled', { id: draft.id, enabled });
    set({ draft: { ...draft, enabled: saved.enabled } });
    await get().load();
  },
  async runDry() {
    const draft = get().draft;
    if (!draft) return;
    set({ dryRun: await must('rules:dryRun', { rule: draft.rule, limit: 200 }) });
  },
  async runNow() {
    const draft = get().draft;
    if (!draft?.id) throw new Error('save the rule first');
    const run = await must('rules:runNow', { id: draft.id });
    await Promise.all([get().loadRuns(), get().load()]);
    return run;
  },
  async loadRuns() {
    const id = get().draft?.id;
    if (!id) return;
    const runs = await must('rules:runs', { ruleId: id, limit: 50 });
    if (get().draft?.id === id) set({ runs });
  },
}));

import type { automationChannels } from '../../../shared/api/automation-channels';
import type { AppServices } from '../../services';
import { requireUser, type HandlersFor } from '../handler-types';

export const automationHandlers = (s: AppServices): HandlersFor<typeof automationChannels> => ({
  'rules:list': async () => s.automation.list(),
  'rules:get': async (input) => s.automation.get(input.id),
  'rules:save': async (input, ctx) => s.automation.save(input, requireUser(ctx)),
  'rules:setEnabled': async (input, ctx) => s.automation.setEnabled(input.id, input.enabled, requireUser(ctx)),
  'rules:dryRun': async (input) => s.automation.dryRun(input),
  'rules:runNow': async (input, ctx) => s.automation.runNow(input.id, input.runId, requireUser(ctx)),
  'rules:runs': async (input) => s.automation.runs(input.ruleId, input.limit),
});

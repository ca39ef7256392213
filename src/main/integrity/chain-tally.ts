import type { IntegrityReport } from '../../shared/api/history-channels';
import { CHAIN_ISSUE_CATEGORIES, type ChainIssue, type ChainIssueCategory } from '../consent/chain-issue';
import type { DeviceChainResult } from './chain-stream';

// The chains' part of the integrity report; integrity-check.ts adds the projection and the quarantine.
// The chains' part of the report; integrity-check.ts adds the projection, the quarantine and the signatures.
export type ChainIntegrityReport = Omit<IntegrityReport, 'projection' | 'quarantined' | 'signatures'>;

export const DEFAULT_MAX_ISSUES = 1000;

// Adds up the devices' verdicts. Issues are capped (maxIssues) so one wrecked store cannot
// flood the window; the report's `counts` stay exact and `truncated` says so. The same tally
// serves the check on the main thread and the one in the worker, so their reports agree.
export function createChainTally(maxIssues = DEFAULT_MAX_ISSUES) {
  const counts = Object.fromEntries(CHAIN_ISSUE_CATEGORIES.map((c) => [c, 0])) as Record<ChainIssueCategory, number>;
  const issues: ChainIssue[] = [];
  const heads: IntegrityReport['heads'] = [];
  let events = 0;
  let devices = 0;
  return {
    add(result: DeviceChainResult): void {
      devices += 1;
      events += result.events;
      if (result.head) heads.push({ deviceId: result.deviceId, ...result.head });
      for (const issue of result.issues) {
        counts[issue.category] += 1;
        if (issues.length < maxIssues) issues.push(issue);
      }
    },
    get events() {
      return events;
    },
    report(checkedAt: string, durationMs: number): ChainIntegrityReport {
      const issueCount = Object.values(counts).reduce((a, b) => a + b, 0);
      return { ok: issueCount === 0, checkedAt, durationMs, events, devices, heads, counts, issues, truncated: issueCount > issues.length };
    },
  };
}

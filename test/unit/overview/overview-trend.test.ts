import { describe, expect, it } from 'vitest';
import { monthStart, trendBuckets, weekStart } from '../../../src/main/overview/overview-trend';

describe('overview trend buckets', () => {
  it('weeks start on Monday (UTC), months on the 1st, across year ends', () => {
    expect(weekStart('2026-12-07')).toBe('2026-12-07');
    expect(weekStart('2026-12-13')).toBe('2026-12-07');
    expect(weekStart('2027-01-01')).toBe('2026-12-28');
    expect(monthStart('2027-01-31')).toBe('2027-01-01');
  });

  it('keeps quiet periods as zeros, drops older points, adds up every type', () => {
    const points = [
      { day: '2026-12-08', typeId: 'a', optIns: 2, optOuts: 1, other: 0 },
      { day: '2026-12-09', typeId: 'b', optIns: 1, optOuts: 0, other: 0 },
      { day: '2026-11-02', typeId: 'a', optIns: 5, optOuts: 5, other: 0 },
      { day: '2025-01-01', typeId: 'a', optIns: 9, optOuts: 9, other: 0 },
    ];
    expect(trendBuckets(points, 'week', 2, '2026-12-09')).toEqual([
      { start: '2026-11-30', optIns: 0, optOuts: 0 },
      { start: '2026-12-07', optIns: 3, optOuts: 1 },
    ]);
    expect(trendBuckets(points, 'month', 14, '2027-01-02').map((b) => b.start)).toEqual([
      '2025-12-01', '2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01',
      '2026-07-01', '2026-08-01', '2026-09-01', '2026-10-01', '2026-11-01', '2026-12-01', '2027-01-01',
    ]);
    expect(trendBuckets(points, 'month', 3, '2026-12-31').map((b) => b.optIns)).toEqual([0, 5, 3]);
  });
});

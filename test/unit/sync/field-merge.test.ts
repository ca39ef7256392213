import { describe, expect, it } from 'vitest';
import { mergeByField, sameDocument } from '../../../src/main/sync/field-merge';

const base = { id: 'c1', name: 'Anna', email: 'a@old.pl', tags: ['x'], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', lastInboundAt: '' };

describe('per-field last-writer-wins merge', () => {
  it('keeps an edit on each side when they touched different fields', () => {
    const local = { ...base, name: 'Anna Nowak', updatedAt: '2026-01-02T00:00:00.000Z', fieldClock: { name: '2026-01-02T00:00:00.000Z|dev-a' } };
    const remote = { ...base, email: 'a@new.pl', updatedAt: '2026-01-03T00:00:00.000Z', fieldClock: { email: '2026-01-03T00:00:00.000Z|dev-b' } };
    const merged = mergeByField(local, remote, base, 'id');
    expect(merged).toMatchObject({ name: 'Anna Nowak', email: 'a@new.pl', updatedAt: '2026-01-03T00:00:00.000Z', _deleted: false });
    expect(merged.fieldClock).toEqual({ name: '2026-01-02T00:00:00.000Z|dev-a', email: '2026-01-03T00:00:00.000Z|dev-b' });
  });

  it('without a common base, an unstamped field dates from creation and loses to a real edit', () => {
    const local = { ...base, updatedAt: '2026-01-05T00:00:00.000Z', email: 'mine@x.pl', fieldClock: { email: '2026-01-05T00:00:00.000Z|dev-a' } };
    const remote = { ...base, name: 'Renamed', updatedAt: '2026-01-02T00:00:00.000Z', fieldClock: { name: '2026-01-02T00:00:00.000Z|dev-b' } };
    expect(mergeByField(local, remote, undefined, 'id')).toMatchObject({ name: 'Renamed', email: 'mine@x.pl' });
  });

  it('the same field changed on both sides goes to the newer stamp, in either order', () => {
    const older = { ...base, name: 'Older', fieldClock: { name: '2026-01-02T00:00:00.000Z|dev-z' } };
    const newer = { ...base, name: 'Newer', fieldClock: { name: '2026-01-03T00:00:00.000Z|dev-a' } };
    expect(mergeByField(older, newer, base, 'id').name).toBe('Newer');
    expect(mergeByField(newer, older, base, 'id').name).toBe('Newer');
  });

  it('equal stamps resolve the same way on every device', () => {
    const a = { ...base, tags: ['a'], fieldClock: { tags: 'T|dev-a' } };
    const b = { ...base, tags: ['b'], fieldClock: { tags: 'T|dev-a' } };
    expect(mergeByField(a, b, base, 'id').tags).toEqual(mergeByField(b, a, base, 'id').tags);
  });

  it('times that only move forward take the newest', () => {
    const a = { ...base, lastInboundAt: '2026-02-01T00:00:00.000Z' };
    const b = { ...base, lastInboundAt: '2026-01-15T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z' };
    expect(mergeByField(b, a, base, 'id').lastInboundAt).toBe('2026-02-01T00:00:00.000Z');
  });

  it('documents equal as data are equal whatever RxDB bookkeeping they carry', () => {
    expect(sameDocument({ ...base, _meta: { lwt: 1 }, _rev: '1-a' }, { ...base, _attachments: {}, _deleted: false })).toBe(true);
    expect(sameDocument(base, { ...base, name: 'Other' })).toBe(false);
  });
});

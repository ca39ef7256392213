import { describe, expect, it } from 'vitest';
import { copyWith } from '../../src/shared/copy-with';

describe('copyWith', () => {
  it('is { ...base, ...fields }: a new object, the base untouched, fields added or replaced', () => {
    const base = { id: 'c1', name: 'Anna', nested: { a: 1 } };
    const copy = copyWith(base, { name: 'Ania', statuses: { t1: 'subscribed' } });
    expect(copy).toEqual({ ...base, ...{ name: 'Ania', statuses: { t1: 'subscribed' } } });
    expect(Object.keys(copy)).toEqual(['id', 'name', 'nested', 'statuses']);
    expect(copy).not.toBe(base);
    expect(base).toEqual({ id: 'c1', name: 'Anna', nested: { a: 1 } });
    // Shallow, as a spread is.
    expect(copy.nested).toBe(base.nested);
  });
});

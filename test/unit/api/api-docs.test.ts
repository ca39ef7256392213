import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_CHANNELS } from '../../../src/shared/api';
import { renderApiDocs } from '../../../src/shared/api/api-docs';

describe('docs/api.md', () => {
  const doc = readFileSync('docs/api.md', 'utf8');

  it('documents every channel of the contract', () => {
    const missing = Object.keys(API_CHANNELS).filter((name) => !doc.includes(`### \`${name}\``));
    expect(missing).toEqual([]);
  });

  it('is exactly what the contract renders (run `npm run docs:api` after changing a channel)', () => {
    expect(doc).toBe(renderApiDocs());
  });

  it('every channel is named area:verb and lists its error codes', () => {
    for (const [name, def] of Object.entries(API_CHANNELS)) {
      expect(name).toMatch(/^[a-z]+:[a-zA-Z]+$/);
      expect(def.errors.length).toBeGreaterThan(0);
      expect(def.summary.length).toBeGreaterThan(10);
    }
  });
});

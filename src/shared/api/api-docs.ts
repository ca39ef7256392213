import { z } from 'zod';
import { API_CHANNELS } from './index';
import type { Access } from './channel';

// Renders docs/api.md from the contract itself, so the document cannot drift from it.
const accessText = (access: Access) =>
  access === 'public' ? 'anyone (no profile needed)' : access === 'signed_in' ? 'any signed-in user' : access.join(', ');

const inputSchemaText = (schema: z.ZodType) => {
  try {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete json.$schema;
    return JSON.stringify(json, null, 2);
  } catch {
    return '(see src/shared/api)';
  }
};

export function renderApiDocs(): string {
  const areas = new Map<string, string[]>();
  for (const name of Object.keys(API_CHANNELS).sort()) {
    const area = name.split(':')[0] ?? name;
    const list = areas.get(area) ?? [];
    list.push(name);
    areas.set(area, list);
  }
  const out: string[] = [
    '# Consent Desk API',
    '',
    'Generated from `src/shared/api/` by `npm run docs:api`; a unit test fails when this file and the contract differ.',
    '',
    'Every call goes through one bridge (`window.consentDesk.invoke(channel, input)`) and returns',
    '`{ ok: true, value }` or `{ ok: false, error: { code, message, details? } }`; nothing throws across',
    'the boundary. Every call can also fail with `unknown_channel` (no such channel), `invalid_input`',
    '(the input does not match the schema below; nothing was changed) and `internal`.',
    'Roles are checked in the main process: `not_signed_in` before a profile is picked, `forbidden` for a role',
    'that may not make the call.',
    '',
    'Push events (`window.consentDesk.onEvent`) are declared in `src/shared/events.ts`.',
    '',
  ];
  for (const [area, names] of areas) {
    out.push(`## ${area}`, '');
    for (const name of names) {
      const def = API_CHANNELS[name as keyof typeof API_CHANNELS];
      out.push(
        `### \`${name}\``,
        '',
        def.summary,
        '',
        `- Who: ${accessText(def.access)}`,
        `- Returns: ${def.returns}`,
        `- Errors: ${def.errors.map((e) => `\`${e}\``).join(', ')}`,
        '',
        '```json',
        inputSchemaText(def.input),
        '```',
        '',
      );
    }
  }
  return out.join('\n');
}

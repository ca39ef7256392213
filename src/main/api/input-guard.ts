import { isForbiddenKey } from '../../shared/forbidden-keys';

/*
 * Limits every API input meets before its channel's zod schema sees it, in one place, so a
 * channel added tomorrow is covered too. Zod's recursive schemas (rule conditions) recurse per
 * level and a hostile input 10,000 levels deep would overflow the stack; a 10 MB id would cost
 * seconds in every index and hash it passes. This walk is iterative, stops at the first
 * problem, and never calls back into the input (plain data only: IPC delivers nothing else).
 * Channels keep their own, tighter limits; these are the ceiling.
 */
export const INPUT_LIMITS = {
  // The deepest legitimate input is a rule: 4 nested condition groups, two levels each.
  maxDepth: 20,
  // Every value counted once; bulk selections (200,000 ids) are the largest legitimate input.
  maxNodes: 250_000,
  maxKeyChars: 200,
  // Ids: `id`, `ids`, and any key ending in `Id`/`Ids` (contactId, typeIds, basedOn is not one).
  maxIdChars: 300,
  maxStringChars: 20_000,
  // File contents travel as `data` (import chunks) or `content` (a webhook file): the channel
  // sets the real limit.
  maxFileChars: 32 * 1024 * 1024,
} as const;

const FILE_KEYS: ReadonlySet<string> = new Set(['data', 'content']);
const isIdKey = (key: string) => key === 'id' || key === 'ids' || /[a-z](Id|Ids)$/.test(key);

export type InputProblem = { path: string; message: string };

type Pending = { value: unknown; path: string; depth: number; key: string };

const stringLimit = (key: string) =>
  isIdKey(key) ? INPUT_LIMITS.maxIdChars : FILE_KEYS.has(key) ? INPUT_LIMITS.maxFileChars : INPUT_LIMITS.maxStringChars;

export function checkInputLimits(input: unknown): InputProblem | null {
  const stack: Pending[] = [{ value: input, path: '', depth: 0, key: '' }];
  let nodes = 0;
  while (stack.length) {
    const { value, path, depth, key } = stack.pop() as Pending;
    if (++nodes > INPUT_LIMITS.maxNodes) return { path, message: `The input has more than ${INPUT_LIMITS.maxNodes} values.` };
    if (typeof value === 'string') {
      const limit = stringLimit(key);
      if (value.length > limit) return { path, message: `At most ${limit} characters (got ${value.length}).` };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= INPUT_LIMITS.maxDepth) return { path, message: `Nested more than ${INPUT_LIMITS.maxDepth} levels deep.` };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}.${i}`, depth: depth + 1, key });
      continue;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return { path, message: 'Only plain data is accepted.' };
    for (const k of Object.keys(value)) {
      const at = path ? `${path}.${k.slice(0, 40)}` : k.slice(0, 40);
      if (k.length > INPUT_LIMITS.maxKeyChars) return { path: at, message: `A name is at most ${INPUT_LIMITS.maxKeyChars} characters.` };
      if (isForbiddenKey(k)) return { path: at, message: `"${k.trim()}" cannot be used as a name.` };
      stack.push({ value: (value as Record<string, unknown>)[k], path: at, depth: depth + 1, key: k });
    }
  }
  return null;
}

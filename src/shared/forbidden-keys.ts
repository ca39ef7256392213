// Names that reach an object's prototype when used as a key: `obj[name] = v` with one of them
// either changes the prototype or is dropped silently. Refused wherever a caller names a key
// (API input, contact property names, CSV columns mapped to properties).
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const isForbiddenKey = (key: string): boolean => FORBIDDEN_KEYS.has(key.trim());

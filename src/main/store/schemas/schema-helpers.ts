// Small builders so every collection schema spells indexed fields the same way:
// RxDB needs a maxLength on indexed strings and bounds on indexed numbers.

export const ISO_TIME = { type: 'string', maxLength: 30 } as const;
export const ID = { type: 'string', maxLength: 128 } as const;
export const SHORT_TEXT = { type: 'string', maxLength: 256 } as const;
export const TEXT = { type: 'string' } as const;
export const BOOL = { type: 'boolean' } as const;
export const SEQ = { type: 'integer', minimum: 0, maximum: 1_000_000_000_000, multipleOf: 1 } as const;
export const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;
export const ANY_OBJECT = { type: 'object' } as const;
export const STRING_LIST = { type: 'array', items: { type: 'string' } } as const;

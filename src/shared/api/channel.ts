import type { z } from 'zod';
import type { Role } from '../domain';
import type { ErrorCode } from './result';

// Who may call a channel. 'public' needs no signed-in user (picking a profile at start).
export type Access = 'public' | 'signed_in' | readonly Role[];

export type ChannelDef<I extends z.ZodType, O> = {
  input: I;
  access: Access;
  summary: string;
  // The result in words, for docs/api.md (the TypeScript type is the phantom below).
  returns: string;
  errors: readonly ErrorCode[];
  // Phantom field carrying the result type; never read at run time.
  readonly _result?: O;
};

export const channel = <O>() => <I extends z.ZodType>(def: Omit<ChannelDef<I, O>, '_result'>): ChannelDef<I, O> => def;

export const ADMIN_ONLY = ['admin'] as const satisfies readonly Role[];
export const CONSENT_WRITERS = ['field_agent', 'admin'] as const satisfies readonly Role[];

import type { ChannelName, ChannelResult, ParsedInput } from '../../shared/api';
import type { User } from '../../shared/domain';

// Per-window state: which profile is active, and the idle lock (users/idle-lock.ts). The
// binding owns one per window/page; only main changes it.
export type Session = { userId: string | null; locked?: boolean; lastActiveAt?: number };

export type HandlerContext = { session: Session; user: User | null };

export type Handler<C extends ChannelName> = (input: ParsedInput<C>, ctx: HandlerContext) => Promise<ChannelResult<C>>;

export type Handlers = { [C in ChannelName]: Handler<C> };

export type HandlersFor<Defs> = { [C in keyof Defs & ChannelName]: Handler<C> };

export const requireUser = (ctx: HandlerContext): User => {
  // create-api refuses signed-in channels without a user, so this only guards misuse.
  if (!ctx.user) throw new Error('handler reached without a signed-in user');
  return ctx.user;
};

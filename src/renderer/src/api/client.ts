import type { ApiError, ChannelInput, ChannelName, ChannelResult, Result } from '../../../shared/api';
import type { AppEvent } from '../../../shared/events';

// The renderer's one door to main. Stores call `call` (a Result) or `must` (throws ApiFailure).
export class ApiFailure extends Error {
  readonly error: ApiError;
  constructor(error: ApiError) {
    super(error.message);
    this.error = error;
  }
}

const bridge = () => window.consentDesk;

// Main refuses every call of a locked window with 'locked': whoever made the call, the lock
// screen must show (session-store listens).
const lockedListeners = new Set<() => void>();
export function onLocked(listener: () => void): () => void {
  lockedListeners.add(listener);
  return () => lockedListeners.delete(listener);
}

export async function call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelResult<C>>> {
  const result = await bridge().invoke(channel, input);
  if (!result.ok && result.error.code === 'locked') lockedListeners.forEach((l) => l());
  return result;
}

export async function must<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> {
  const result = await call(channel, input);
  if (!result.ok) throw new ApiFailure(result.error);
  return result.value;
}

export function onAppEvent(listener: (event: AppEvent) => void): () => void {
  return bridge().onEvent(listener);
}

/*
 * Waits for a service's background work to end: for the newest piece of work `latest` returns,
 * and again whenever newer work began while it waited, until none did. Services keep their newest
 * piece in a variable that each new piece replaces; this is their `settled()`.
 */
export async function settleLatest(latest: () => Promise<unknown>): Promise<void> {
  let seen: Promise<unknown> | undefined;
  while (seen !== latest()) {
    seen = latest();
    await seen;
  }
}

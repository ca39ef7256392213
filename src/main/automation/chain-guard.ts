// The loop guard. A rule's tag change comes back through the contacts change stream like
// any other edit; the guard remembers which writes rules made (by contact and the written
// document's updatedAt) and the chain of rules that led to them, so
// - a rule is never re-fed its own effects (nor those of a chain it is already in), and
// - a chain stops after MAX_CHAIN_DEPTH rules, with a run-log entry saying so.
// Writes that arrive from another device carry no mark and start a fresh chain there;
// rule effects are idempotent (a set status, an added tag), so devices still converge.

export const MAX_CHAIN_DEPTH = 3;
const MAX_MARKS = 10_000;

export type ChainOrigin = { chain: readonly string[]; depth: number };

export type ChainGuard = {
  mark(contactId: string, updatedAt: string, origin: ChainOrigin): void;
  // The origin of a contact write, consumed: each write is seen once.
  take(contactId: string, updatedAt: string): ChainOrigin | null;
};

export function createChainGuard(): ChainGuard {
  const marks = new Map<string, ChainOrigin>();
  const key = (contactId: string, updatedAt: string) => `${contactId}\u0000${updatedAt}`;
  return {
    mark(contactId, updatedAt, origin) {
      marks.set(key(contactId, updatedAt), origin);
      // Marks whose change event never came (the store coalesced it) must not pile up.
      if (marks.size > MAX_MARKS) {
        const oldest = marks.keys().next();
        if (!oldest.done) marks.delete(oldest.value);
      }
    },
    take(contactId, updatedAt) {
      const k = key(contactId, updatedAt);
      const origin = marks.get(k) ?? null;
      marks.delete(k);
      return origin;
    },
  };
}

// Bounded concurrency: at most `limit` deliveries are written to CouchDB at once, at most
// `queueLimit` wait for a turn, and any beyond that are turned away at once (the server
// answers 503 and Meta retries later), so a flood cannot exhaust memory or sockets.
export type AdmissionGate = {
  // Resolves to a release function, or null when the queue is full.
  enter(): Promise<(() => void) | null>;
  readonly running: number;
  readonly waiting: number;
};

export function createAdmissionGate(limit: number, queueLimit: number): AdmissionGate {
  let running = 0;
  const queue: Array<() => void> = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else running -= 1;
  };
  const once = () => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
    };
  };
  return {
    async enter() {
      if (running < limit) {
        running += 1;
        return once();
      }
      if (queue.length >= queueLimit) return null;
      // The slot is handed over by release(): `running` stays counted for the newcomer.
      await new Promise<void>((resolve) => queue.push(resolve));
      return once();
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}

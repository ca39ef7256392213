// Runs async tasks one at a time, in order. The ledger needs this: each device's hash
// chain and seq must be extended by exactly one writer at a time.
export type SerialQueue = <T>(task: () => Promise<T>) => Promise<T>;

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const run = tail.then(task, task);
    // The tail keeps no result: an append's inserted events would otherwise stay in
    // memory until the next task ends.
    tail = run.then(() => undefined, () => undefined);
    return run;
  };
}

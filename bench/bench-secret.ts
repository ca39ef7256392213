// The passphrase of the profile each bench signs in with.
export const BENCH_SECRET = 'bench passphrase 1';

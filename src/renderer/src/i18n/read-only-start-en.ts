// English strings for the read-only start banner (store:mode); spread into en.ts.
export const readOnlyStartEn = {
  readOnlyStart: {
    title: 'Read-only: disk full — free space and restart.',
    body: 'Consent Desk started read-only because the disk that holds its data is full. You can look up, check and export; nothing can be saved, and sync is paused. Free some space on that disk, then close Consent Desk and start it again.',
  },
};

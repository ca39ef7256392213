// English strings for the signed chain heads in History → Integrity; spread into en.ts.
export const chainHeadsEn = {
  chainHeads: {
    title: 'Chains that end before their signed head',
    tail: 'Device {{device}}: the chain held here ends at #{{held}}, its signed head says #{{head}}. Events {{from}}–{{to}} are missing.',
    state_not_yet_arrived: 'Not yet arrived: sync has not read the server to the end since the head came. Start sync, or wait for it.',
    state_withheld: 'Withheld: the server had nothing more when this computer last read it to the end. A STOP may be among them: ask the device\'s user, or sync with another server.',
    keptAside: '{{n}} of them arrived and are kept aside (see Sync problems).',
    mismatch: 'Device {{device}} signed a head for #{{seq}} that names another event than the one held here.',
    known: 'Signed heads known: {{n}}. Each device signs the newest event the server took.',
  },
};

// English strings for the data-at-rest line in Settings; spread into en.ts.
export const dataEncryptionEn = {
  dataEncryption: {
    protection_os: 'Data encrypted; key protected by the OS store.',
    protection_key_file: 'Data encrypted, but this computer offers no credential store: the key is kept in a file beside the data, so anyone who can read the data folder can read the data. Use full-disk encryption on this computer.',
  },
};

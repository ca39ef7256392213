import type { dataEncryptionEn } from './data-encryption-en';

// Polish strings for the data-at-rest line in Settings; spread into pl.ts.
export const dataEncryptionPl: typeof dataEncryptionEn = {
  dataEncryption: {
    protection_os: 'Dane zaszyfrowane; klucz chroniony przez magazyn poświadczeń systemu.',
    protection_key_file: 'Dane zaszyfrowane, ale ten komputer nie ma magazynu poświadczeń: klucz leży w pliku obok danych, więc kto może odczytać folder danych, odczyta dane. Włącz szyfrowanie całego dysku na tym komputerze.',
  },
};

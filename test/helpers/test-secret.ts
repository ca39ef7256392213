// The passphrase every test profile gets unless a test chooses another; long enough for any role.
export const TEST_SECRET = 'test passphrase 1';
// A PIN for tests of field agents' PIN sign-in.
export const TEST_PIN = '246810';

// How the pairing code's QR code is drawn (PairingQr.tsx); the e2e test draws the same to compare.
export const PAIRING_QR_OPTIONS = { margin: 2, width: 240, errorCorrectionLevel: 'M' } as const;

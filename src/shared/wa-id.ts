// WhatsApp ids (wa_id) and the numbers people give (SPEC 2). For some countries the
// platform's id is not the number's E.164 form, so one person can arrive under two
// spellings. These are the equivalences, both ways:
//   - Mexico:    +52 1 + 10 digits (older mobile form, still used in wa_id) ↔ +52 + 10 digits
//   - Argentina: +54 9 + 10 digits (mobile form)                           ↔ +54 + 10 digits
//   - Brazil:    +55 + area (2) + 9 + 8 digits (mobile with the ninth digit)
//                ↔ +55 + area (2) + 8 digits starting 6–9 (the same mobile before the ninth digit)
// waIdVariants lists every spelling that may name the same person; canonicalWaNumber
// picks the one the phone library accepts as valid (the form contacts are stored in),
// or undefined when none is valid: such a sender is never made a contact.
import { checkPhone } from './phone';

export function waIdVariants(e164: string): string[] {
  const digits = e164.replace(/^\+/, '');
  const variants = [`+${digits}`];
  let match: RegExpMatchArray | null;
  if ((match = /^521(\d{10})$/.exec(digits))) variants.push(`+52${match[1] ?? ''}`);
  else if ((match = /^52(\d{10})$/.exec(digits))) variants.push(`+521${match[1] ?? ''}`);
  else if ((match = /^549(\d{10})$/.exec(digits))) variants.push(`+54${match[1] ?? ''}`);
  else if ((match = /^54(\d{10})$/.exec(digits))) variants.push(`+549${match[1] ?? ''}`);
  else if ((match = /^55(\d{2})9(\d{8})$/.exec(digits))) variants.push(`+55${match[1] ?? ''}${match[2] ?? ''}`);
  else if ((match = /^55(\d{2})([6-9]\d{7})$/.exec(digits))) variants.push(`+55${match[1] ?? ''}9${match[2] ?? ''}`);
  return variants;
}

// Mobile forms first where the library accepts both spellings (Argentina: +54 9).
function preferenceOrder(variants: string[]): string[] {
  return [...variants].sort((a, b) => Number(/^\+(?:549|55\d{2}9)/.test(b)) - Number(/^\+(?:549|55\d{2}9)/.test(a)));
}

export function canonicalWaNumber(e164: string): string | undefined {
  for (const variant of preferenceOrder(waIdVariants(e164))) {
    const check = checkPhone(variant, 'ZZ');
    if (check.valid) return check.e164;
  }
  return undefined;
}

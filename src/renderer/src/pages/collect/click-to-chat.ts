// The WhatsApp click-to-chat link for a business number with a prefilled opt-in keyword
// (SPEC 4): https://wa.me/<digits>?text=<keyword>. wa.me wants the number as digits only.
export function clickToChatLink(businessNumber: string, keyword: string): string {
  const digits = businessNumber.replace(/\D/g, '');
  return `https://wa.me/${digits}?text=${encodeURIComponent(keyword)}`;
}

// A file name that is safe on every desktop OS.
export function qrFileName(businessName: string, keyword: string, extension: 'png' | 'svg'): string {
  const slug = `${businessName}-${keyword}`.normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').toLowerCase();
  return `whatsapp-opt-in-${slug || 'qr'}.${extension}`;
}

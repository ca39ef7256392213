// Letters that Unicode does not decompose into a base letter and a mark (ł is not l + ◌̸).
const UNDECOMPOSED: Record<string, string> = { ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', þ: 'th', Þ: 'Th', ı: 'i' };

// A person's name as part of a download's file name: letters keep their base form
// ("Jan Wójcik" → "Jan-Wojcik", not "Jan-Wo-jcik"), anything else a file system or a mail
// filter could object to becomes a single hyphen, and a name with nothing usable left
// falls back to `fallback`.
export function fileSafeName(name: string, fallback = 'contact', maxLength = 60): string {
  const base = [...name].map((ch) => UNDECOMPOSED[ch] ?? ch).join('').normalize('NFKD').replace(/\p{M}+/gu, '');
  const safe = base.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, maxLength).replace(/-+$/, '');
  return safe || fallback;
}

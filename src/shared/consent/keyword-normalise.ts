// The one normal form for keywords and inbound messages (SPEC 2). Every matching
// rule (keyword matcher, stop-request phrases, button replies, the table validator)
// goes through these functions, so "what the matcher sees" is defined here only.
//
// Steps, in order:
//   1. NFKD + upper case + removal of Latin/Greek/Cyrillic combining diacritics
//      (U+0300–U+036F), then NFC: together NFKC with case and accents folded.
//      Accents are IGNORED, so "ARRETER" matches "ARRÊTER" (phone keyboards often
//      lack accents, and missing an opt-out is the costly mistake). Kana voicing marks
//      (U+3099/U+309A) change a Japanese word and stay.
//   2. Invisible characters are DELETED wherever they are, inside words too: format
//      characters (Cf: zero-width space/joiner, word joiner, LRM/RLM, bidi embeddings
//      and isolates, Arabic letter mark, soft hyphen, BOM, tag characters), controls
//      that are not white space, variation selectors, enclosing marks (keycaps) and the
//      Hangul fillers people use as "blank" characters.
//   3. Decoration — punctuation (P*) and symbols (S*, which covers emoji, skin tones
//      and regional indicators; Extended_Pictographic is added for the few emoji that
//      are not S*) — is DELETED in the compact form ("S.T.O.P", "*STOP*", "STOP🛑" →
//      "STOP") and replaced by a space in the spaced form ("Please,STOP" → "PLEASE STOP").
//   4. White space (Unicode White_Space) separates words; runs collapse to one space.
//
// The compact form decides "exactly one keyword"; both forms are searched for an
// opt-out keyword standing as a word (see keyword-matcher.ts).

const COMBINING_DIACRITICS = /[\u0300-\u036f]/g;
// Default_Ignorable_Code_Point covers the zero-width and bidi characters, variation
// selectors, tag characters and Hangul fillers; controls that are white space never
// reach it (white space is tested first).
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\p{Me}\p{Cs}]/gu;
const DECORATION = /[\p{P}\p{S}\p{Extended_Pictographic}]/gu;
const WHITE_SPACE = /[\p{White_Space}]/u;
// Single-character tests (no 'g' flag, so no lastIndex state between calls).
const IS_INVISIBLE = new RegExp(INVISIBLE.source, 'u');
const IS_DECORATION = new RegExp(DECORATION.source, 'u');
const WHITE_SPACE_RUN = /[\p{White_Space}]+/gu;
// Scripts written without spaces between words: a keyword in them counts as a word
// wherever it appears in the text ("配信停止してください" contains 停止).
export const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\u30fc]/u;
// Marks left after folding (kana voicing) and Hangul jamo must be composed again (NFC).
const NEEDS_COMPOSITION = /[\p{M}\u1100-\u11ff]/u;

// Unicode property regexes cost microseconds per message, so each character is folded
// once, on first sight, and the result kept: the per-message work is a table walk.
const UNSPACED = 1;
const NEEDS_NFC = 2;
const NEEDS_COLLAPSE = 4;
type CharFold = { compact: string; spaced: string; flags: number };
const DROP: CharFold = Object.freeze({ compact: '', spaced: '', flags: 0 });
const SPACE: CharFold = Object.freeze({ compact: '', spaced: ' ', flags: 0 });
const DECORATION_CHAR: CharFold = Object.freeze({ compact: '', spaced: ' ', flags: 0 });

function foldChar(ch: string): CharFold {
  if (WHITE_SPACE.test(ch)) return SPACE;
  if (IS_INVISIBLE.test(ch)) return DROP;
  if (IS_DECORATION.test(ch)) return DECORATION_CHAR;
  const folded = ch.normalize('NFKD').replace(INVISIBLE, '').toUpperCase().replace(COMBINING_DIACRITICS, '');
  const compact = folded.replace(DECORATION, '').replace(WHITE_SPACE_RUN, '');
  const spaced = folded.replace(DECORATION, ' ');
  const flags =
    (UNSPACED_SCRIPT.test(folded) ? UNSPACED : 0) |
    (NEEDS_COMPOSITION.test(folded) ? NEEDS_NFC : 0) |
    (spaced.trim() !== spaced || /\s/.test(spaced) ? NEEDS_COLLAPSE : 0);
  return { compact, spaced, flags };
}

// Index into foldList by UTF-16 code unit; 0 means "not folded yet".
const bmpFoldIndex = new Uint16Array(0x10000);
const foldList: CharFold[] = [DROP];
const astralFolds = new Map<number, CharFold>();

function bmpFold(code: number): CharFold {
  const index = bmpFoldIndex[code] ?? 0;
  if (index !== 0) return foldList[index] ?? DROP;
  const fold = foldChar(String.fromCharCode(code));
  bmpFoldIndex[code] = foldList.length;
  foldList.push(fold);
  return fold;
}

function astralFold(codePoint: number): CharFold {
  let fold = astralFolds.get(codePoint);
  if (fold === undefined) {
    fold = foldChar(String.fromCodePoint(codePoint));
    astralFolds.set(codePoint, fold);
  }
  return fold;
}

function collapse(text: string): string {
  return text.replace(WHITE_SPACE_RUN, ' ').trim();
}

export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

// Both forms in one walk (or compact alone): compact (decoration deleted: "¡ALTO!" → "ALTO", "*S.T.O.P*"
// → "STOP") and spaced (decoration replaced by a space, runs of unspaced scripts set
// apart from the letters around them: "Please,STOP" → "PLEASE STOP", "STOPして" →
// "STOP して"). White space collapses to one space and is trimmed in both.
function foldForms(text: string, withSpaced: boolean): { compact: string; spaced: string } {
  let compact = '';
  let spaced = '';
  let compactGap = false;
  let spacedGap = false;
  let previousUnspaced = false;
  let flags = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let fold: CharFold;
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      fold = astralFold((code - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000);
      i++;
    } else fold = bmpFold(code);
    if (fold === DROP) continue;
    if (fold === SPACE) {
      compactGap = true;
      spacedGap = true;
      continue;
    }
    if (fold === DECORATION_CHAR) {
      spacedGap = true;
      continue;
    }
    flags |= fold.flags;
    if (fold.compact !== '') {
      if (compactGap && compact !== '') compact += ' ';
      compactGap = false;
      compact += fold.compact;
    }
    if (!withSpaced) continue;
    const unspaced = (fold.flags & UNSPACED) !== 0;
    if (unspaced !== previousUnspaced) spacedGap = true;
    previousUnspaced = unspaced;
    if (spacedGap && spaced !== '') spaced += ' ';
    spacedGap = false;
    spaced += fold.spaced;
  }
  if (flags & NEEDS_NFC) {
    compact = compact.normalize('NFC');
    spaced = spaced.normalize('NFC');
  }
  if (flags & NEEDS_COLLAPSE) spaced = collapse(spaced);
  return { compact, spaced };
}

// One walk that builds the compact form only: most keyword checks end with it.
export function compactForm(text: string): string {
  return foldForms(text, false).compact;
}

export function spacedForm(text: string): string {
  return foldForms(text, true).spaced;
}

// A keyword's key in the lookup table: its compact form.
export function normaliseKeyword(text: string): string {
  const trimmed = text.trim();
  // Plain letters and digits are already in every normal form: only the case needs folding.
  if (/^[A-Za-z0-9]*$/.test(trimmed)) return trimmed.toUpperCase();
  return compactForm(trimmed);
}

// The form stop-request phrases are written in: spaced form in lower case, with the
// Polish "ł" (which has no decomposition) read as "l".
export function foldForPhrases(text: string): string {
  return spacedForm(text).toLowerCase().replace(/ł/g, 'l');
}

// Required text (an explanation, a reason) must contain something a person can see.
// Plain trim() keeps zero-width spaces, bidi marks, word joiners and BOMs, so "\u200b"
// would pass as an explanation. This trims Unicode White_Space and invisible
// characters (Default_Ignorable_Code_Point, format Cf, controls Cc) from both ends;
// text that is only those is blank. One helper for every "required" check.
const EDGE = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}]+|[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}]+$/gu;

export function trimInvisible(text: string): string {
  return text.replace(EDGE, '');
}

export function isBlankText(text: string): boolean {
  return trimInvisible(text) === '';
}

/**
 * C0 control characters are not data in a delivered field, except tab (data wherever it is not
 * the separator) and LF (the line end: no field holds one). A CR counts: the one before an LF
 * belongs to the line end, so only a lone CR ever reaches a field.
 */
const CONTROL = /[\u0000-\u0008\u000B-\u001F]/;

/** How reasons name a character: `U+0000`. */
const codePoint = (char: string): string => `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The first control character in `text` as `U+0007`, or null. */
export function controlCharacter(text: string): string | null {
  const m = CONTROL.exec(text);
  return m ? codePoint(m[0]) : null;
}

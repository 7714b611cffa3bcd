/**
 * PostgreSQL text and JSON cannot hold NUL, and a NUL in one field must cost that row, not the
 * file: normalize quarantines the row (`control_character in <column>`), and its raw text in
 * quarantine shows each NUL as ␀ (U+2400 SYMBOL FOR NULL), with `nul_fields` naming the columns
 * that held one, so a ␀ the file itself delivered is never taken for a NUL.
 */
export const NUL_SYMBOL = '\u2400';

export interface VisibleNul {
  values: (string | null)[];
  /** The columns whose delivered value held a NUL, in column order. */
  nulFields: string[];
}

export function withVisibleNul(values: readonly (string | null)[], columns: readonly string[]): VisibleNul {
  const nulFields = columns.filter((_, i) => values[i]?.includes('\u0000'));
  return { values: values.map((v) => v && v.replaceAll('\u0000', NUL_SYMBOL)), nulFields };
}

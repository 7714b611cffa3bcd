/**
 * PostgreSQL text cannot hold NUL, and a NUL in one field must cost that row, not the file.
 * Raw keeps such a field visible and inert: each NUL as ␀ (U+2400 SYMBOL FOR NULL), with the
 * row's `nul_fields` naming the columns that held one, so a ␀ the file itself delivered is
 * never taken for a NUL. Normalize quarantines the row (`control_character in <column>`).
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

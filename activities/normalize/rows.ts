import { z } from 'zod';
import { controlCharacter } from '../control-characters';
import { lookupCountry, type CountryScheme } from './countries';
import { clip, isSuspiciousPayload, parseClickTime, parseEpochSeconds, parseIsMobile, parseScore, type Parsed } from './fields';

/** Row-level validation: the zod schemas are the contract of a typed row in staging. */

export type Flag = 'suspicious_payload' | 'unmapped_category' | 'invalid_score' | 'unknown_country' | 'duplicate_record';

function from<T>(parse: (raw: string) => Parsed<T>) {
  return z.string().transform((raw, ctx) => {
    const r = parse(raw);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.reason });
    return z.NEVER;
  });
}

const text = z.string();
const required = z.string().trim().min(1, 'is empty');

const ConversionSchema = z.object({
  id: required,
  session_id: text.transform((s) => s.trim() || null),
  country_name: text,
  is_mobile: from(parseIsMobile),
  ui_element: text,
  created_at: from(parseClickTime),
  measurement_category: text,
});

const BrokerSchema = z.object({
  timestamp: from(parseEpochSeconds),
  country_residency: text,
  ip_country: text,
  important_score: text,
});

const MappingSchema = z.object({
  page_category: required,
  measurement_category: required,
});

export interface Conversion {
  conversionId: string;
  sessionId: string | null;
  clickedAt: Date;
  countryName: string;
  countryCode: string | null;
  isMobile: boolean;
  uiElement: string;
  measurementCategory: string;
  flags: Flag[];
}

export interface BrokerRecord {
  timestampRaw: string;
  registeredAt: Date;
  residencyRaw: string;
  ipCountryRaw: string;
  scoreRaw: string;
  residencyCountryCode: string | null;
  ipCountryCode: string | null;
  importantScore: number | null;
  flags: Flag[];
}

export interface MappingRow {
  pageCategory: string;
  measurementCategory: string;
}

/** What a raw row carries into validation: its values by column name and how many fields it had. */
export interface RawInput {
  values: Record<string, string | null>;
  fieldCount: number;
  headerFields: number;
}

type Result<T> = { ok: true; row: T } | { ok: false; reason: string };

function validate<S extends z.ZodType>(schema: S, input: RawInput): Result<z.output<S>> {
  if (input.fieldCount !== input.headerFields) {
    return { ok: false, reason: `expected ${input.headerFields} fields as in the header, got ${input.fieldCount}` };
  }
  const control = controlCharacters(input);
  if (control) return { ok: false, reason: control };
  const parsed = schema.safeParse(input.values);
  if (parsed.success) return { ok: true, row: parsed.data };
  const reason = parsed.error.issues
    .map((i) => {
      const col = i.path.join('.');
      const value = input.values[col];
      return i.code === 'custom' ? `${col}: ${i.message}` : `${col}: ${i.message} (got '${clip(String(value ?? ''))}')`;
    })
    .join('; ');
  return { ok: false, reason };
}

/**
 * A control character (a NUL above all) in a field means the row was damaged on its way: its
 * values cannot be trusted, whatever they would parse to. Names each column and its character.
 */
function controlCharacters({ values }: RawInput): string | null {
  let found = '';
  for (const column in values) {
    const value = values[column];
    const char = value === null ? null : controlCharacter(value);
    if (char) found += `${found && ', '}${column} (${char})`;
  }
  return found ? `control_character in ${found}` : null;
}

/** A recognised country name is never a payload (`Cote D'ivoire` has a quote); an unknown one may be. */
function country(raw: string, scheme: CountryScheme, flags: Set<Flag>): string | null {
  const c = lookupCountry(raw, scheme);
  if (c.unknown) {
    flags.add('unknown_country');
    flagPayloads(flags, raw);
  }
  return c.code;
}

function flagPayloads(flags: Set<Flag>, ...values: string[]): void {
  if (values.some(isSuspiciousPayload)) flags.add('suspicious_payload');
}

export function normalizeConversion(input: RawInput): Result<Conversion> {
  const v = validate(ConversionSchema, input);
  if (!v.ok) return v;
  const r = v.row;
  const flags = new Set<Flag>();
  flagPayloads(flags, r.ui_element, r.measurement_category, r.session_id ?? '');
  return {
    ok: true,
    row: {
      conversionId: r.id,
      sessionId: r.session_id,
      clickedAt: r.created_at,
      countryName: r.country_name,
      countryCode: country(r.country_name, 'web-analytics', flags),
      isMobile: r.is_mobile,
      uiElement: r.ui_element,
      measurementCategory: r.measurement_category,
      flags: [...flags],
    },
  };
}

export function normalizeBrokerRecord(input: RawInput): Result<BrokerRecord> {
  const v = validate(BrokerSchema, input);
  if (!v.ok) return v;
  const r = v.row;
  const flags = new Set<Flag>();
  flagPayloads(flags, r.important_score);
  const importantScore = parseScore(r.important_score);
  if (importantScore === null) flags.add('invalid_score');
  return {
    ok: true,
    row: {
      timestampRaw: input.values.timestamp ?? '',
      registeredAt: r.timestamp,
      residencyRaw: r.country_residency,
      ipCountryRaw: r.ip_country,
      scoreRaw: r.important_score,
      residencyCountryCode: country(r.country_residency, 'free-text', flags),
      ipCountryCode: country(r.ip_country, 'iso-3166', flags),
      importantScore,
      flags: [...flags],
    },
  };
}

export function normalizeMapping(input: RawInput): Result<MappingRow> {
  const v = validate(MappingSchema, input);
  if (!v.ok) return v;
  return { ok: true, row: { pageCategory: v.row.page_category.trim(), measurementCategory: v.row.measurement_category.trim() } };
}

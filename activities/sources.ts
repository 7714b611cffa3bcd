/**
 * The three delivered files: what columns each must have.
 * Ingest and normalize both read this, so a column added here is handled end to end.
 */
export type SourceName = 'conversions' | 'broker' | 'mapping';

export interface SourceSpec {
  name: SourceName;
  /** Columns the header must contain (in any order), in the order rows carry their values. */
  columns: readonly string[];
  /** The file name in the landing zone and in the sample. */
  fileName: string;
}

export const SOURCES: Record<SourceName, SourceSpec> = {
  conversions: {
    name: 'conversions',
    columns: ['id', 'session_id', 'country_name', 'is_mobile', 'ui_element', 'created_at', 'measurement_category'],
    fileName: 'brokerchooser_conversions.csv',
  },
  broker: {
    name: 'broker',
    columns: ['timestamp', 'country_residency', 'ip_country', 'important_score'],
    fileName: 'broker_data.csv',
  },
  mapping: {
    name: 'mapping',
    columns: ['page_category', 'measurement_category'],
    fileName: 'page_category_mapping.csv',
  },
};

/**
 * The scan's output formats. A module of its own, free of imports, so that the CLI's argument
 * parser can check `--format` without loading the scanner on the start-up path.
 */
export const SCAN_FORMATS = ['table', 'json', 'sarif'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

export const isScanFormat = (value: unknown): value is ScanFormat =>
  typeof value === 'string' && (SCAN_FORMATS as readonly string[]).includes(value);

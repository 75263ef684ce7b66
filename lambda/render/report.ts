import type { AuditResult } from '../engine/result';
import { renderJson } from './json';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import { renderTable, type TableOptions } from './table';

/** The report formats of the CLI's `--format` flag: a public contract. */
export const REPORT_FORMATS = ['table', 'json', 'markdown', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const isReportFormat = (value: string): value is ReportFormat =>
  (REPORT_FORMATS as readonly string[]).includes(value);

/** Renders a result in the given format; `color` matters only to the table. */
export function renderReport(format: ReportFormat, result: AuditResult, options: TableOptions = {}): string {
  switch (format) {
    case 'table':
      return renderTable(result, options);
    case 'json':
      return renderJson(result, options);
    case 'markdown':
      return renderMarkdown(result, options);
    case 'junit':
      return renderJunit(result, options);
  }
}

/** Plain-text output of the bench: Markdown tables (pasteable into the README) and figure rows. */

/** One line of the results table. `met` is null for a figure printed without a target. */
export interface Figure {
  readonly figure: string;
  readonly measured: string;
  readonly target: string;
  readonly met: boolean | null;
}

/** A Markdown table with columns padded to line up in a terminal too. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

export function figuresTable(figures: readonly Figure[]): string {
  return markdownTable(
    ['Figure', 'Measured (median)', 'Target', 'Met?'],
    figures.map((f) => [f.figure, f.measured, f.target, f.met === null ? '—' : f.met ? 'met' : 'MISSED']),
  );
}

export const ms = (value: number): string => `${Math.round(value)} ms`;
export const ratio = (value: number): string => `${value.toFixed(2)}×`;
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;
export const usd = (value: number): string => `$${value.toFixed(2)}`;

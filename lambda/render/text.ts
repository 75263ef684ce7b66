/**
 * Text helpers shared by the report renderers. Summaries and remedies may quote what an API said,
 * so they are treated as untrusted: control characters could move a terminal's cursor or break a
 * document's structure.
 */

// Everything below U+0020 and the C1 range, plus DEL: tabs and line breaks fold to a space, the rest
// (ESC and friends) becomes a visible replacement character.
const LINE_BREAKS = /[\t\n\r\v\f\u0085\u2028\u2029]+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** One printable line: line breaks become spaces, other control characters become U+FFFD. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(CONTROL, '\uFFFD').trim();
}

/** `850 ms` under a second, `1.2 s` above. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '? ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

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

/**
 * Characters that show nothing or reorder what follows: bidi marks, embeddings, overrides and
 * isolates (U+202E turns `txt.exe` into `exe.txt`), zero-width spaces and joiners, the soft
 * hyphen, the BOM. In a label from an API they hide or disguise text, so they are shown instead.
 */
export const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * One printable line: line breaks become spaces; other control characters and the invisible or
 * reordering ones become U+FFFD, visible where they were.
 */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(CONTROL, '\uFFFD').replace(INVISIBLE, '\uFFFD').trim();
}

/**
 * JSON text with every invisible or reordering character (and DEL and C1 controls, which
 * JSON.stringify leaves raw) written as a `\uXXXX` escape: the data is unchanged for a parser,
 * and a person reading the raw report sees the character instead of its effect.
 */
export function escapeInvisibleInJson(json: string): string {
  return json
    .replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `850 ms` under a second, `1.2 s` above. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '? ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

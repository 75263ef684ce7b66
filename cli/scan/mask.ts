import { maskKey } from '../../lambda/engine/redact';
import { oneLine } from '../../lambda/render/text';

/**
 * Anything that starts like an OpenRouter key, whatever its length: a truncated or over-long key is
 * still secret material. Shorter tails (`sk-or-v1-***`, `sk-or-v1-abc...`) are labels, not keys.
 */
const KEY_LIKE = /sk-or-v1-[0-9a-z]{8,}/gi;
const KEY_PREFIX_LENGTH = 'sk-or-v1-'.length;

/** Longest excerpt printed; long (minified) lines are cut around the finding. */
export const MAX_EXCERPT_CHARS = 160;

/** Replaces every key-like string with OpenRouter's masked label form, `sk-or-v1-abc...123`. */
export function maskSecrets(text: string): string {
  return text.replace(KEY_LIKE, (match) => maskKey(`sk-or-v1-${match.slice(KEY_PREFIX_LENGTH)}`));
}

/**
 * The printable excerpt of a line for a finding at `column` (1-based): masked, on one line, and at
 * most MAX_EXCERPT_CHARS long. The cut never falls inside a key-like string, so a cut cannot leave
 * a key's unmasked tail behind.
 */
export function excerptOf(line: string, column = 1): string {
  const raw = line.replace(/\r$/, '');
  if (raw.length <= MAX_EXCERPT_CHARS) return oneLine(maskSecrets(raw));
  let start = Math.max(0, column - 1 - 40);
  let end = Math.min(raw.length, start + MAX_EXCERPT_CHARS);
  for (const match of raw.matchAll(/sk-or-v1-[0-9a-z]*/gi)) {
    const from = match.index;
    const to = from + match[0].length;
    if (from < start && to > start) start = from;
    if (from < end && to > end) end = to;
  }
  const head = start > 0 ? '…' : '';
  const tail = end < raw.length ? '…' : '';
  return `${head}${oneLine(maskSecrets(raw.slice(start, end)))}${tail}`;
}

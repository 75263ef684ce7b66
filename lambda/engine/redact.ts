/**
 * The last line of defence for "the key is sacred": every string that leaves the process (logs,
 * errors, alerts, CLI output) can be passed through a Redactor. It masks anything shaped like an
 * OpenRouter key and every secret value registered with it (keys, webhook URLs), wherever it
 * appears and however it comes back: whole, its secret part alone, any run of
 * {@link MIN_SECRET_RUN} or more of its secret characters (a key cut by truncation, or split in
 * two), percent-encoded (once or twice), broken up by whitespace or invisible characters, or in
 * another letter case.
 */
const KEY_SHAPE = /sk-or-v1-([0-9a-f]{3})[0-9a-f]{58}([0-9a-f]{3})(?![0-9a-z])/gi;
/**
 * Also catches prefixes of a key cut by truncation, and keys of other lengths, showing nothing of
 * them: the label form's last 3 characters of a cut key would be 3 characters OpenRouter never shows.
 */
const KEY_PREFIX = /sk-or-v1-[0-9a-z]{7,}/gi;
const KEY_PREFIX_TEXT = 'sk-or-v1-';
const KEY_PREFIX_PLAIN = /sk-or-v1-/i;
/** A percent-escape, which normalization decodes (a lone `%`, as in "99.5%", is kept as it is). */
const ESCAPE = /%[0-9a-f]{2}/i;

/**
 * The shortest run of a secret's characters that is masked on its own. Twelve hex characters are
 * 48 bits: no honest text holds them by chance, and OpenRouter's own label (3 + 3) stays readable.
 */
export const MIN_SECRET_RUN = 12;

/**
 * Characters that render as nothing (zero-width, joiners, soft hyphen, BOM, variation selectors)
 * or reorder text (bidi marks, embeddings, overrides and isolates), as inclusive code ranges: a
 * secret broken up by them reads as one, and a label holding them can show what it does not say.
 */
const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
];

/** True for a UTF-16 code unit that renders as nothing or reorders text. */
export function isInvisible(code: number): boolean {
  if (code < 0xad) return false;
  for (const [from, to] of INVISIBLE_RANGES) if (code >= from && code <= to) return true;
  return false;
}

/** True when `text` holds an invisible or reordering character. */
export function hasInvisible(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isInvisible(text.charCodeAt(i))) return true;
  return false;
}

const MASK = '[REDACTED]';
const HASH_BASE = 31;
/** HASH_BASE ** MIN_SECRET_RUN in 32-bit arithmetic: what the character leaving the window weighed. */
const HASH_TOP = Array.from({ length: MIN_SECRET_RUN }).reduce<number>((h) => Math.imul(h, HASH_BASE), 1);

function hashOf(run: string): number {
  let hash = 0;
  for (let i = 0; i < run.length; i++) hash = (Math.imul(hash, HASH_BASE) + run.charCodeAt(i)) | 0;
  return hash;
}

/** OpenRouter's own masked label form: `sk-or-v1-abc...123`. */
export function maskKey(key: string): string {
  const body = key.startsWith(KEY_PREFIX_TEXT) ? key.slice(KEY_PREFIX_TEXT.length) : key;
  if (body.length < 8) return 'sk-or-v1-***';
  return `sk-or-v1-${body.slice(0, 3)}...${body.slice(-3)}`;
}

/**
 * A text as the redactor compares it: lower-cased, percent-escapes decoded, invisible characters
 * (and, when asked, whitespace) dropped; each character keeps the span of the original it came from.
 */
interface NormalizedText {
  readonly text: string;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

const hexValue = (code: number): number =>
  code >= 48 && code <= 57
    ? code - 48
    : code >= 97 && code <= 102
      ? code - 87
      : code >= 65 && code <= 70
        ? code - 55
        : -1;

const isEscapeAt = (text: string, i: number): boolean =>
  i + 2 < text.length && hexValue(text.charCodeAt(i + 1)) >= 0 && hexValue(text.charCodeAt(i + 2)) >= 0;

/** Whitespace as `\s` knows it, by code (the hot loop avoids a regular expression per character). */
const isWhitespace = (code: number): boolean =>
  (code >= 9 && code <= 13) ||
  code === 32 ||
  code === 0xa0 ||
  code === 0x1680 ||
  (code >= 0x2000 && code <= 0x200a) ||
  code === 0x2028 ||
  code === 0x2029 ||
  code === 0x202f ||
  code === 0x205f ||
  code === 0x3000 ||
  code === 0xfeff;

function normalizeOnce(text: string, skipWhitespace: boolean): NormalizedText {
  const codes = new Uint16Array(text.length);
  const start = new Int32Array(text.length);
  const end = new Int32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; ) {
    let code = text.charCodeAt(i);
    let width = 1;
    if (code === 37 && i + 2 < text.length) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        code = hi * 16 + lo;
        width = 3;
        // A byte of an encoded non-ASCII character (an encoded zero-width space, say) is no part of a secret.
        if (code >= 0x80) {
          i += 3;
          continue;
        }
      }
    }
    if (isInvisible(code) || (skipWhitespace && isWhitespace(code))) {
      i += width;
      continue;
    }
    codes[n] = code >= 65 && code <= 90 ? code + 32 : code;
    start[n] = i;
    end[n] = i + width;
    n += 1;
    i += width;
  }
  return { text: decode(codes.subarray(0, n)), start: start.subarray(0, n), end: end.subarray(0, n) };
}

function decode(codes: Uint16Array): string {
  if (codes.length > 4096) return new TextDecoder('utf-16le').decode(codes);
  return String.fromCharCode(...codes);
}

/** Normalizes twice when the first pass left escapes behind (`%2573` is `%73` is `s`). */
function normalize(text: string, skipWhitespace: boolean): NormalizedText {
  const once = normalizeOnce(text, skipWhitespace);
  if (!once.text.includes('%')) return once;
  const twice = normalizeOnce(once.text, skipWhitespace);
  return {
    text: twice.text,
    start: twice.start.map((i) => once.start[i] ?? 0),
    end: twice.end.map((i) => once.end[i - 1] ?? text.length),
  };
}

/** The characters of a secret that give it away: a key's body after `sk-or-v1-`, a URL's path and query. */
function secretPart(value: string): string {
  if (value.toLowerCase().startsWith(KEY_PREFIX_TEXT)) return value.slice(KEY_PREFIX_TEXT.length);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      const rest = `${url.pathname}${url.search}`;
      if (rest.length > 1) return rest;
    } catch {
      // Not a URL after all: the whole value is the secret.
    }
  }
  return value;
}

const canonical = (text: string): string => normalize(text, true).text;

/** A span of the original text to replace. */
interface Cut {
  readonly start: number;
  readonly end: number;
  readonly replacement: string;
}

function applyCuts(text: string, cuts: Cut[]): string {
  if (cuts.length === 0) return text;
  cuts.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  let current: { start: number; end: number; replacement: string } | undefined;
  const flush = () => {
    if (current === undefined) return;
    out += text.slice(at, current.start) + current.replacement;
    at = current.end;
  };
  for (const cut of cuts) {
    if (current !== undefined && cut.start < current.end) {
      // Overlapping cuts merge; a registered secret's mask wins over a shape's label.
      current.end = Math.max(current.end, cut.end);
      if (cut.replacement === MASK) current.replacement = MASK;
      continue;
    }
    flush();
    current = { ...cut };
  }
  flush();
  return out + text.slice(at);
}

export class Redactor {
  readonly #secrets = new Set<string>();
  /** Every {@link MIN_SECRET_RUN}-character run of every secret part, canonical. */
  readonly #runs = new Set<string>();
  /** Secret parts shorter than a run, canonical: masked when found whole. */
  readonly #shortParts = new Set<string>();
  readonly #runHashes = new Set<number>();
  /** The last {@link MIN_SECRET_RUN} kept characters of {@link #mayHoldSecret}'s scan, reused. */
  readonly #window = new Uint16Array(MIN_SECRET_RUN);

  /** Registers a value that must never be printed (ignored when too short to be a real secret). */
  add(secret: string | undefined | null): this {
    const value = secret?.trim();
    if (!value || value.length < 8 || this.#secrets.has(value)) return this;
    this.#secrets.add(value);
    const part = canonical(secretPart(value));
    if (part.length < MIN_SECRET_RUN) {
      if (part.length >= 8) this.#shortParts.add(part);
      return this;
    }
    for (let i = 0; i + MIN_SECRET_RUN <= part.length; i++) {
      const run = part.slice(i, i + MIN_SECRET_RUN);
      this.#runs.add(run);
      this.#runHashes.add(hashOf(run));
    }
    return this;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    const cuts = [...this.#secretCuts(out), ...shapeCuts(out)];
    return applyCuts(out, cuts);
  }

  /**
   * False only when `text` cannot hold a registered secret: it has no percent-escape, no short
   * secret is registered, and no window of {@link MIN_SECRET_RUN} characters (as normalization
   * keeps them) hashes like a secret's run. The same rolling hash as {@link #secretCuts}, computed
   * on the fly, so the usual string (no secret in it) costs one pass and no allocation.
   */
  #mayHoldSecret(text: string): boolean {
    if (this.#shortParts.size > 0) return true;
    const window = this.#window;
    let hash = 0;
    let kept = 0;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      // A percent-escape is decoded before comparing: that needs the full normalization.
      if (code === 37 && isEscapeAt(text, i)) return true;
      if (isInvisible(code) || isWhitespace(code)) continue;
      if (code >= 65 && code <= 90) code += 32;
      const slot = kept % MIN_SECRET_RUN;
      hash = (Math.imul(hash, HASH_BASE) + code) | 0;
      // The slot still holds the character that leaves the window (kept - MIN_SECRET_RUN).
      if (kept >= MIN_SECRET_RUN) hash = (hash - Math.imul(window[slot] ?? 0, HASH_TOP)) | 0;
      window[slot] = code;
      kept += 1;
      if (kept >= MIN_SECRET_RUN && this.#runHashes.has(hash)) return true;
    }
    return false;
  }

  /** Where a run of a registered secret hides in `text`, in whatever form. */
  #secretCuts(text: string): Cut[] {
    if (this.#runs.size === 0 && this.#shortParts.size === 0) return [];
    if (!this.#mayHoldSecret(text)) return [];
    const view = normalize(text, true);
    const covered = new Uint8Array(view.text.length);
    let any = false;
    if (this.#runs.size > 0) {
      // A rolling hash finds candidate runs without cutting a string at every position.
      const t = view.text;
      let hash = 0;
      for (let i = 0; i < t.length; i++) {
        hash = (Math.imul(hash, HASH_BASE) + t.charCodeAt(i)) | 0;
        if (i >= MIN_SECRET_RUN) hash = (hash - Math.imul(t.charCodeAt(i - MIN_SECRET_RUN), HASH_TOP)) | 0;
        if (i + 1 < MIN_SECRET_RUN || !this.#runHashes.has(hash)) continue;
        const from = i + 1 - MIN_SECRET_RUN;
        if (this.#runs.has(t.slice(from, i + 1))) {
          covered.fill(1, from, i + 1);
          any = true;
        }
      }
    }
    for (const part of this.#shortParts) {
      for (let at = view.text.indexOf(part); at !== -1; at = view.text.indexOf(part, at + 1)) {
        covered.fill(1, at, at + part.length);
        any = true;
      }
    }
    if (!any) return [];
    const cuts: Cut[] = [];
    for (let i = 0; i < covered.length; ) {
      if (covered[i] !== 1) {
        i += 1;
        continue;
      }
      let j = i;
      while (j + 1 < covered.length && covered[j + 1] === 1) j += 1;
      cuts.push({ start: view.start[i] ?? 0, end: view.end[j] ?? text.length, replacement: MASK });
      i = j + 1;
    }
    return cuts;
  }

  /** Redacts every string inside a JSON-like value (for log fields and result objects), keys included. */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as T;
    if (value !== null && typeof value === 'object') {
      if (value instanceof Error) return this.redact(String(value.stack ?? value.message)) as T;
      if (value instanceof Date) return value;
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [this.redact(k), this.redactDeep(v)]),
      ) as T;
    }
    return value;
  }
}

/**
 * Key shapes in `text`, also when percent-encoded or broken up by invisible characters: a whole
 * key keeps OpenRouter's 3 + 3 label, a cut one keeps only its prefix.
 */
function shapeCuts(text: string): Cut[] {
  const disguised = ESCAPE.test(text) || hasInvisible(text);
  if (!disguised && !KEY_PREFIX_PLAIN.test(text)) return [];
  // With nothing to decode or drop, the text is its own view: no copy of a long report.
  const view = disguised ? normalize(text, false) : undefined;
  const cuts: Cut[] = [];
  const at = (from: number, to: number, replacement: string): Cut =>
    view === undefined
      ? { start: from, end: to, replacement }
      : { start: view.start[from] ?? 0, end: view.end[to - 1] ?? text.length, replacement };
  const seen = view?.text ?? text;
  for (const m of seen.matchAll(KEY_SHAPE)) {
    cuts.push(at(m.index, m.index + m[0].length, `sk-or-v1-${m[1]}...${m[2]}`));
  }
  for (const m of seen.matchAll(KEY_PREFIX)) {
    cuts.push(at(m.index, m.index + m[0].length, 'sk-or-v1-***'));
  }
  // A whole key is matched by both; its label (the first, longer-or-equal cut) is kept.
  return cuts.filter(
    (cut, i) => !cuts.some((other, j) => j < i && other.start <= cut.start && other.end >= cut.end),
  );
}

/** A redactor that knows only the key shapes, for code that holds no secrets itself. */
export const shapeRedactor = new Redactor();

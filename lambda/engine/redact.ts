/**
 * The last line of defence for "the key is sacred": every string that leaves the process (logs,
 * errors, alerts, CLI output) can be passed through a Redactor. It masks anything shaped like an
 * OpenRouter key and every secret value registered with it (keys, webhook URLs), wherever it appears.
 */
const KEY_SHAPE = /sk-or-v1-([0-9a-f]{3})[0-9a-f]{58}([0-9a-f]{3})(?![0-9a-z])/gi;
/**
 * Also catches prefixes of a key cut by truncation, and keys of other lengths, showing nothing of
 * them: the label form's last 3 characters of a cut key would be 3 characters OpenRouter never shows.
 */
const KEY_PREFIX = /sk-or-v1-[0-9a-z]{7,}/gi;

/** OpenRouter's own masked label form: `sk-or-v1-abc...123`. */
export function maskKey(key: string): string {
  const body = key.startsWith('sk-or-v1-') ? key.slice('sk-or-v1-'.length) : key;
  if (body.length < 8) return 'sk-or-v1-***';
  return `sk-or-v1-${body.slice(0, 3)}...${body.slice(-3)}`;
}

export class Redactor {
  readonly #secrets = new Set<string>();

  /** Registers a value that must never be printed (ignored when too short to be a real secret). */
  add(secret: string | undefined | null): this {
    const value = secret?.trim();
    if (value && value.length >= 8) this.#secrets.add(value);
    return this;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
    }
    return out.replace(KEY_SHAPE, 'sk-or-v1-$1...$2').replace(KEY_PREFIX, 'sk-or-v1-***');
  }

  /** Redacts every string inside a JSON-like value (for log fields and result objects). */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as T;
    if (value !== null && typeof value === 'object') {
      if (value instanceof Error) return this.redact(String(value.stack ?? value.message)) as T;
      if (value instanceof Date) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactDeep(v)])) as T;
    }
    return value;
  }
}

/** A redactor that knows only the key shapes, for code that holds no secrets itself. */
export const shapeRedactor = new Redactor();

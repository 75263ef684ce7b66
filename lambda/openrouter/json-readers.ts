/**
 * Small typed readers over parsed JSON. They replace casts: a required field of the wrong type
 * raises ShapeError naming the field (the client turns it into BAD_RESPONSE), while an optional
 * field that is missing, null or of the wrong type reads as null. Numbers may arrive as decimal
 * strings (OpenRouter sends prices that way), so both forms are accepted.
 */

/** A JSON object, as far as the readers are concerned. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** A required field was missing or of the wrong type. `field` is a path such as `data[3].label`. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
  constructor(
    readonly field: string,
    readonly expected: string,
  ) {
    super(`field "${field}" is missing or is not ${expected}`);
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NUMERIC_STRING = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** A finite number from a number or a decimal string; null otherwise. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && NUMERIC_STRING.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function toBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

export function requireObject(value: unknown, field: string): JsonObject {
  if (!isJsonObject(value)) throw new ShapeError(field, 'an object');
  return value;
}

export function requireArray(value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(field, 'an array');
  return value;
}

/** Reads fields of one object, naming them relative to `path` in errors. */
export class ObjectReader {
  constructor(
    private readonly object: JsonObject,
    private readonly path: string,
  ) {}

  static of(value: unknown, path: string): ObjectReader {
    return new ObjectReader(requireObject(value, path), path);
  }

  private field(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  /** The raw value, for nested readers. */
  raw(key: string): unknown {
    return this.object[key];
  }

  /** A nested object, or null when missing or not an object. */
  optObject(key: string): ObjectReader | null {
    const value = this.object[key];
    return isJsonObject(value) ? new ObjectReader(value, this.field(key)) : null;
  }

  string(key: string): string {
    const value = this.object[key];
    if (typeof value !== 'string') throw new ShapeError(this.field(key), 'a string');
    return value;
  }

  optString(key: string): string | null {
    const value = this.object[key];
    return typeof value === 'string' ? value : null;
  }

  number(key: string): number {
    const value = toNumber(this.object[key]);
    if (value === null) throw new ShapeError(this.field(key), 'a number');
    return value;
  }

  optNumber(key: string): number | null {
    return toNumber(this.object[key]);
  }

  boolean(key: string): boolean {
    const value = toBoolean(this.object[key]);
    if (value === null) throw new ShapeError(this.field(key), 'a boolean');
    return value;
  }

  optBoolean(key: string): boolean | null {
    return toBoolean(this.object[key]);
  }
}

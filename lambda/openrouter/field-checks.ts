/**
 * Plausibility checks for the figures the audit acts on. A tolerant reader turns a wrong-typed
 * `limit` into null, and null means "no limit": a monitor that reads garbage as a fact about the
 * account is worse than none. These readers instead record a FieldProblem naming endpoint and
 * field (`GET /key: limit is "lots", expected a number or null`); the value reads as null, and
 * every check that reads the field reports `error` with that sentence.
 */
import { isJsonObject, type JsonObject, toNumber } from './json-readers';

/** No OpenRouter account holds or spends a billion dollars: a larger figure is a broken answer. */
export const MAX_PLAUSIBLE_USD = 1e9;

/** One field the audit could not trust. `message` is the whole sentence, endpoint first. */
export interface FieldProblem {
  /** The JSON path, e.g. `limit` or `data[3].created_at`. */
  readonly field: string;
  readonly message: string;
}

/** A short, safe rendering of a bad value for a message (never a long string an API sent). */
export function showValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') {
    const clipped = value.length > 40 ? `${value.slice(0, 39)}…` : value;
    return JSON.stringify(clipped);
  }
  if (typeof value === 'number') return String(value);
  if (value === null || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/**
 * Reads fields of one object and collects what is wrong with them instead of throwing, so that a
 * bad `limit` spoils the checks that read `limit`, not the whole `/key` answer.
 */
export class FieldValidator {
  constructor(
    /** e.g. `GET /key`. */
    private readonly endpoint: string,
    private readonly object: JsonObject,
    /** Path of `object` in the body, e.g. `data[3]`; '' for the fields of `/key`'s `data`. */
    private readonly path = '',
    /** Shared with the validators of nested objects, so a problem deep down is the answer's problem. */
    readonly problems: FieldProblem[] = [],
  ) {}

  /** A validator for a nested object at `key` (e.g. `budgets[0]`), sharing this one's problems. */
  child(object: JsonObject, key: string): FieldValidator {
    return new FieldValidator(this.endpoint, object, this.name(key), this.problems);
  }

  private name(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  problem(key: string, value: unknown, expected: string): null {
    const field = this.name(key);
    const shown = value === undefined ? 'missing' : `${showValue(value)}`;
    this.problems.push({
      field,
      message: `${this.endpoint}: ${field} is ${shown}, expected ${expected}`,
    });
    return null;
  }

  raw(key: string): unknown {
    return this.object[key];
  }

  /**
   * A USD amount: a finite number (or a decimal string, as OpenRouter sends prices) from 0 up to
   * MAX_PLAUSIBLE_USD. `nullable` allows null; `optional` allows the field to be absent (read as null).
   */
  money(
    key: string,
    options: { nullable?: boolean; optional?: boolean; signed?: boolean } = {},
  ): number | null {
    const value = this.object[key];
    const expected = `${options.signed ? 'an amount' : 'an amount of 0 or more'}${options.nullable ? ' or null' : ''}`;
    if (value === undefined) return options.optional ? null : this.problem(key, value, expected);
    if (value === null) return options.nullable ? null : this.problem(key, value, expected);
    const n = typeof value === 'number' && !Number.isFinite(value) ? null : toNumber(value);
    if (n === null) return this.problem(key, value, `a number${options.nullable ? ' or null' : ''}`);
    if (!options.signed && n < 0) return this.problem(key, value, expected);
    if (Math.abs(n) > MAX_PLAUSIBLE_USD) return this.problem(key, value, `an amount under $1e9`);
    return n;
  }

  /** An optional boolean: absent or null reads as null; anything else but true/false is a problem. */
  optBoolean(key: string): boolean | null {
    const value = this.object[key];
    if (value === undefined || value === null) return null;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return this.problem(key, value, 'true or false');
  }

  /** One of `allowed`, or null (absent or null). */
  optEnum<T extends string>(key: string, allowed: readonly T[]): T | null {
    const value = this.object[key];
    if (value === undefined || value === null) return null;
    const match = allowed.find((a) => a === value);
    return match ?? this.problem(key, value, `one of ${allowed.join(', ')} or null`);
  }

  /** An optional string: absent or null reads as null. */
  optString(key: string): string | null {
    const value = this.object[key];
    if (value === undefined || value === null) return null;
    return typeof value === 'string' ? value : this.problem(key, value, 'a string or null');
  }

  /** A timestamp that must parse (ISO-8601); null when absent or null and `required` is false. */
  timestamp(key: string, required: boolean): string | null {
    const value = this.object[key];
    if (value === undefined || value === null) {
      return required ? this.problem(key, value, 'an ISO-8601 date') : null;
    }
    if (typeof value !== 'string' || Number.isNaN(new Date(value).getTime())) {
      return this.problem(key, value, `an ISO-8601 date${required ? '' : ' or null'}`);
    }
    return value;
  }

  /** A nested object, or null when absent/null; a value of another type is a problem. */
  optObject(key: string): FieldValidator | null {
    const value = this.object[key];
    if (value === undefined || value === null) return null;
    if (!isJsonObject(value)) return this.problem(key, value, 'an object or null');
    return this.child(value, key);
  }

  /** An optional array; absent or null reads as null. */
  optArray(key: string): readonly unknown[] | null {
    const value = this.object[key];
    if (value === undefined || value === null) return null;
    return Array.isArray(value) ? value : this.problem(key, value, 'an array or null');
  }
}

/**
 * `limit_remaining` above `limit` cannot be: the remainder of a cap is at most the cap. A small
 * slack absorbs rounding; a remainder below zero is real (in-flight requests finish past a cap).
 */
export function checkRemainderWithinLimit(
  v: FieldValidator,
  limit: number | null,
  remaining: number | null,
  limitKey = 'limit',
  remainingKey = 'limit_remaining',
): number | null {
  if (limit !== null && remaining !== null && remaining > limit + 1e-6) {
    return v.problem(remainingKey, v.raw(remainingKey), `at most ${limitKey} (${limit})`);
  }
  return remaining;
}

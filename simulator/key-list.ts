/**
 * `GET /keys` answers, precomputed: each key's JSON is built once per scenario and pages are
 * joined from those strings, so a 10,000-key account costs microseconds per page.
 */

/** OpenRouter's documented page size for `GET /keys`. */
export const KEYS_PAGE_SIZE = 100;

/** A page cache bound: offsets are caller-chosen, so the cache must not grow without limit. */
const MAX_CACHED_PAGES = 2048;

export interface ListedKey {
  readonly hash: string;
  readonly disabled: boolean;
  /** The key's KeyData object, serialized. */
  readonly json: string;
}

export class KeyList {
  private readonly enabled: readonly string[];
  private readonly all: readonly string[];
  private readonly byHash: ReadonlyMap<string, string>;
  private readonly pages = new Map<string, string>();

  /** `keys` in the order `/keys` lists them (most recent first). */
  constructor(keys: readonly ListedKey[]) {
    this.all = keys.map((key) => key.json);
    this.enabled = keys.filter((key) => !key.disabled).map((key) => key.json);
    this.byHash = new Map(keys.map((key) => [key.hash, key.json]));
  }

  /** Number of keys listed with `include_disabled=true`. */
  get size(): number {
    return this.all.length;
  }

  /** The `{"data":[…]}` body of one page. */
  page(offset: number, includeDisabled: boolean): string {
    const cacheKey = `${includeDisabled ? 'all' : 'enabled'}:${offset}`;
    const cached = this.pages.get(cacheKey);
    if (cached !== undefined) return cached;
    const source = includeDisabled ? this.all : this.enabled;
    const body = `{"data":[${source.slice(offset, offset + KEYS_PAGE_SIZE).join(',')}]}`;
    if (this.pages.size >= MAX_CACHED_PAGES) this.pages.clear();
    this.pages.set(cacheKey, body);
    return body;
  }

  /** The `{"data":KeyData}` body of `GET /keys/{hash}`, disabled keys included. */
  find(hash: string): string | undefined {
    const json = this.byHash.get(hash);
    return json === undefined ? undefined : `{"data":${json}}`;
  }
}

import { OpenRouterError } from './errors';
import type { KeyInfo } from './types';

/** How `GET /keys` is paged: the page size, the runaway cap and how many pages may be in flight. */
export interface KeyPagingLimits {
  /** A page shorter than this is the last one (the API gives no total and no next link). */
  readonly pageSize: number;
  /** A server still sending full pages after this many is cut off. */
  readonly maxPages: number;
  /** The window stops doubling here. */
  readonly maxInFlight: number;
  /**
   * Bytes (as compact JSON) the whole inventory may take in memory, besides the page cap: a
   * server sending pages larger than documented is cut off by this long before `maxPages`.
   * @default DEFAULT_MAX_INVENTORY_BYTES
   */
  readonly maxBytes?: number;
}

/**
 * 32 MB of key records: the page cap (100,000 keys of the documented shape, about 300 bytes each),
 * parsed inside a 256 MB function; pages larger than documented reach it long before the page cap.
 */
export const DEFAULT_MAX_INVENTORY_BYTES = 32 * 1024 * 1024;

/** What one page costs in memory, measured as compact JSON (its strings dominate). */
const pageBytes = (items: readonly KeyInfo[]): number => JSON.stringify(items).length;

/** Fetches the page at `offset`; rejects only with OpenRouterError (retries are the fetcher's business). */
export type KeyPageFetcher = (offset: number) => Promise<readonly KeyInfo[]>;

/**
 * Every key of the account, in the API's order. Pages go out in rounds whose size doubles
 * (1, 2, 4, … up to `maxInFlight`): an account of one page still costs one request, a large one
 * about log2(maxInFlight) + pages / maxInFlight round trips instead of one per page. The price is
 * at most `maxInFlight - 1` requests past the last page, all sent in the round that finds it.
 *
 * The answers are read in offset order, exactly as one-page-at-a-time paging would read them: the
 * first page shorter than `pageSize` ends the list (answers past it, failed or not, are ignored),
 * and a failed page before that end fails the whole call with that page's error.
 */
export async function listKeyPages(fetchPage: KeyPageFetcher, limits: KeyPagingLimits): Promise<KeyInfo[]> {
  const pages: (readonly KeyInfo[])[] = [];
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_INVENTORY_BYTES;
  let bytes = 0;
  let largestPage = 0;
  let window = 1;
  while (pages.length < limits.maxPages) {
    const first = pages.length;
    const count = Math.min(window, limits.maxPages - first);
    // allSettled, not all: a page that fails must not leave its siblings' rejections unhandled,
    // and a failure past the last page must not decide the outcome.
    const round = await Promise.allSettled(
      Array.from({ length: count }, (_, i) => fetchPage((first + i) * limits.pageSize)),
    );
    for (const answer of round) {
      if (answer.status === 'rejected') throw answer.reason;
      const items = answer.value;
      // A server that ignores `offset` would otherwise send the same page `maxPages` times.
      const previous = pages[pages.length - 1];
      if (previous !== undefined && items.length > 0 && items[0]?.hash === previous[0]?.hash) {
        throw new OpenRouterError('BAD_RESPONSE', 'OpenRouter sent the same page of /keys twice', {
          endpoint: '/keys',
        });
      }
      const size = pageBytes(items);
      bytes += size;
      largestPage = Math.max(largestPage, size);
      if (bytes > maxBytes) {
        throw new OpenRouterError(
          'BAD_RESPONSE',
          `OpenRouter sent more than ${Math.round(maxBytes / 1024 / 1024)} MB of /keys (${pages.length + 1} pages)`,
          { endpoint: '/keys' },
        );
      }
      pages.push(items);
      if (items.length < limits.pageSize) return pages.flat();
    }
    // Pages in flight at once are held in memory at once: the window never outgrows what the
    // budget left can take at the largest page size seen.
    const affordable = Math.max(1, Math.floor((maxBytes - bytes) / Math.max(1, largestPage)));
    window = Math.min(window * 2, limits.maxInFlight, affordable);
  }
  throw new OpenRouterError(
    'BAD_RESPONSE',
    `OpenRouter sent more than ${limits.maxPages} full pages of /keys`,
    { endpoint: '/keys' },
  );
}

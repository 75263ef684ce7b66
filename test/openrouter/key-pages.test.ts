import { describe, expect, it } from 'vitest';
import { OpenRouterError } from '../../lambda/openrouter/errors';
import { listKeyPages } from '../../lambda/openrouter/key-pages';
import type { KeyInfo } from '../../lambda/openrouter/types';
import { rejectionOf } from '../support/rejection';

/** A key record of the documented shape whose name is `nameBytes` long. */
function keyInfo(n: number, nameBytes = 20): KeyInfo {
  return {
    hash: `hash-${n}`,
    name: 'x'.repeat(nameBytes),
    label: 'sk-or-v1-abc...123',
    disabled: false,
    limit: null,
    limitRemaining: null,
    limitReset: null,
    includeByokInLimit: null,
    usage: 0,
    usageDaily: 0,
    usageWeekly: 0,
    usageMonthly: 0,
    byokUsageDaily: null,
    byokUsageWeekly: null,
    workspaceId: null,
    createdAt: null,
    updatedAt: null,
    expiresAt: null,
  };
}

/** An endless /keys: every page full, each key carrying `labelBytes` of label; counts the pages asked for. */
function endless(labelBytes: number, pageSize = 100) {
  const asked: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchPage = async (offset: number) => {
    asked.push(offset);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await Promise.resolve();
    inFlight -= 1;
    return Array.from({ length: pageSize }, (_, i) => keyInfo(offset + i, labelBytes));
  };
  return { fetchPage, asked, maxInFlight: () => maxInFlight };
}

describe('listKeyPages byte budget', () => {
  it('cuts off an endless /keys of oversize pages by bytes, long before the page cap', async () => {
    const server = endless(100_000);
    const error = await rejectionOf(
      listKeyPages(server.fetchPage, { pageSize: 100, maxPages: 1000, maxInFlight: 8, maxBytes: 50_000_000 }),
      OpenRouterError,
    );
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toMatch(/more than 48 MB of \/keys/);
    // Each page is about 10 MB: the budget stops it at the fifth, and never more than fit were in flight.
    expect(server.asked.length).toBeLessThanOrEqual(8);
    expect(server.maxInFlight()).toBeLessThanOrEqual(4);
  });

  it('still reads a large account of ordinary keys within the default budget', async () => {
    let served = 0;
    const keys = await listKeyPages(
      async (offset) => {
        const count = Math.max(0, Math.min(100, 20_050 - offset));
        served += 1;
        return Array.from({ length: count }, (_, i) => keyInfo(offset + i));
      },
      { pageSize: 100, maxPages: 1000, maxInFlight: 8 },
    );
    expect(keys).toHaveLength(20_050);
    expect(served).toBeGreaterThanOrEqual(201);
  });

  it('still stops at the page cap when the pages are small', async () => {
    const server = endless(1, 2);
    const error = await rejectionOf(
      listKeyPages(server.fetchPage, { pageSize: 2, maxPages: 50, maxInFlight: 8 }),
      OpenRouterError,
    );
    expect(error.message).toContain('more than 50 full pages');
  });
});

describe('listKeyPages paging', () => {
  /** An account of `total` keys paged `pageSize` at a time; records the offsets asked for. */
  function account(total: number, pageSize: number) {
    const asked: number[] = [];
    const fetchPage = async (offset: number) => {
      asked.push(offset);
      return Array.from({ length: Math.max(0, Math.min(pageSize, total - offset)) }, (_, i) =>
        keyInfo(offset + i),
      );
    };
    return { fetchPage, asked };
  }

  it('ends the list at a page one key short of full, with one request', async () => {
    const server = account(99, 100);
    const keys = await listKeyPages(server.fetchPage, { pageSize: 100, maxPages: 1000, maxInFlight: 8 });
    expect(keys.map((k) => k.hash)).toEqual(Array.from({ length: 99 }, (_, i) => `hash-${i}`));
    expect(server.asked).toEqual([0]);
  });

  it('reads an account whose short last page is the last page the cap allows', async () => {
    // Five pages of two: four full ones and a last one of one key.
    const server = account(9, 2);
    const keys = await listKeyPages(server.fetchPage, { pageSize: 2, maxPages: 5, maxInFlight: 8 });
    expect(keys).toHaveLength(9);
    expect(server.asked.sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8]);
  });

  it.each([1, 8])(
    'asks for every page up to the cap, and no more, before giving up (%i in flight)',
    async (maxInFlight) => {
      const server = endless(1, 2);
      await rejectionOf(
        listKeyPages(server.fetchPage, { pageSize: 2, maxPages: 50, maxInFlight }),
        OpenRouterError,
      );
      expect(server.asked.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    },
  );

  it('counts the byte budget over all pages, not page by page', async () => {
    // Each page is well under the budget on its own; together the pages pass it on the fourth.
    const server = endless(1_000, 10);
    const onePage = JSON.stringify(await server.fetchPage(0)).length;
    server.asked.length = 0;
    const maxBytes = Math.floor(onePage * 3.5);
    const error = await rejectionOf(
      listKeyPages(server.fetchPage, { pageSize: 10, maxPages: 1000, maxInFlight: 1, maxBytes }),
      OpenRouterError,
    );
    expect(error.message).toContain('(4 pages)');
    expect(server.asked).toEqual([0, 10, 20, 30]);
  });
});

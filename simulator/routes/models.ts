import type { RouteHandler } from '../context';
import { errorReply, jsonReply } from '../reply';
import { integerParam } from './keys';

const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 1000;

/**
 * `GET /models`: no key needed and a bad key ignored, as on the real API. Without `offset` and
 * `limit` the whole list is returned; with either, a page and a `links.next` to the following one.
 */
export const listModels: RouteHandler = ({ url }, state) => {
  const { catalog } = state.account;
  const offset = integerParam(url, 'offset');
  const limit = integerParam(url, 'limit');
  if (offset === null)
    return errorReply(400, 'Invalid query parameter "offset": expected a non-negative integer');
  if (limit === null || (limit !== undefined && (limit < 1 || limit > MAX_LIMIT))) {
    return errorReply(400, `Invalid query parameter "limit": expected an integer from 1 to ${MAX_LIMIT}`);
  }
  if (offset === undefined && limit === undefined) return jsonReply(200, catalog.fullListBody);
  const start = offset ?? 0;
  const size = limit ?? DEFAULT_LIMIT;
  const end = start + size;
  const next = end < catalog.entries.length ? `/api/v1/models?offset=${end}&limit=${size}` : null;
  return jsonReply(
    200,
    JSON.stringify({
      data: catalog.entries.slice(start, end),
      total_count: catalog.entries.length,
      links: { next },
    }),
  );
};

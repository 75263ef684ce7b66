/**
 * Readers for `GET /models/{id}/endpoints` and `GET /activity`. Data is checked, not trusted: an
 * uptime outside 0–100, a negative latency or spend, or a date that is not `YYYY-MM-DD` is a
 * ShapeError naming the field (the client's BAD_RESPONSE), never a fact about the account.
 */
import type { ActivityRow, ModelEndpoint, ModelEndpoints } from './insight-types';
import { ObjectReader, requireArray, ShapeError } from './json-readers';

function inRange(value: number | null, field: string, min: number, max: number, what: string): number | null {
  if (value === null) return null;
  if (value < min || value > max) throw new ShapeError(field, what);
  return value;
}

function readEndpoint(value: unknown, path: string): ModelEndpoint {
  const endpoint = ObjectReader.of(value, path);
  const latency = endpoint.optObject('latency_last_30m');
  return {
    providerName: endpoint.string('provider_name'),
    tag: endpoint.optString('tag'),
    status: endpoint.optNumber('status'),
    uptimeLast30m: inRange(
      endpoint.optNumber('uptime_last_30m'),
      `${path}.uptime_last_30m`,
      0,
      100,
      'a percentage from 0 to 100',
    ),
    latencyP50Ms: inRange(
      latency?.optNumber('p50') ?? null,
      `${path}.latency_last_30m.p50`,
      0,
      3_600_000,
      'a latency in ms from 0 to 3600000',
    ),
  };
}

/** `GET /models/{author}/{slug}/endpoints` → `data`. */
export function readModelEndpoints(body: unknown): ModelEndpoints {
  const data = ObjectReader.of(ObjectReader.of(body, '').raw('data'), 'data');
  const endpoints = requireArray(data.raw('endpoints'), 'data.endpoints');
  return {
    id: data.string('id'),
    endpoints: endpoints.map((item, i) => readEndpoint(item, `data.endpoints[${i}]`)),
  };
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `GET /activity` → `data[]`. */
export function readActivity(body: unknown): ActivityRow[] {
  const data = requireArray(ObjectReader.of(body, '').raw('data'), 'data');
  return data.map((item, i) => {
    const row = ObjectReader.of(item, `data[${i}]`);
    const date = row.string('date');
    if (!ISO_DAY.test(date)) throw new ShapeError(`data[${i}].date`, 'a date YYYY-MM-DD');
    const usage = row.number('usage');
    if (usage < 0) throw new ShapeError(`data[${i}].usage`, 'a spend in USD of 0 or more');
    const requests = row.optNumber('requests');
    if (requests !== null && requests < 0)
      throw new ShapeError(`data[${i}].requests`, 'a count of 0 or more');
    return {
      date,
      model: row.string('model'),
      providerName: row.optString('provider_name'),
      usage,
      requests,
    };
  });
}

/** `Retry-After` as seconds or an HTTP-date, in milliseconds from `nowMs` (never negative). */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value === '') return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

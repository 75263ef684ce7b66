import { describe, expect, it } from 'vitest';
import { FAULT_CASES, MATRIX_ROUTES } from './fault-table';
import { renderFaultMatrix } from './render-fault-matrix';

describe('renderFaultMatrix', () => {
  it('prints one row per fault with one cell per route, as the matrix test plays them', () => {
    const lines = renderFaultMatrix().split('\n');
    const rows = lines.filter((line) => line.startsWith('| ') && !line.startsWith('| Fault |'));
    expect(rows.map((row) => row.split(' | ')[0]?.slice(2))).toEqual(FAULT_CASES.map((f) => f.name));
    for (const row of rows) expect(row.split(' | ')).toHaveLength(MATRIX_ROUTES.length + 1);
    expect(renderFaultMatrix()).toContain('| 503 Service Unavailable | error · 5 req (retried) |');
  });
});

import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../lambda/engine/result';
import { renderJson } from '../../lambda/render/json';
import { auditResult, MIXED_CHECKS } from './fixtures';

describe('renderJson', () => {
  it('is newline-terminated JSON with the contract keys in contract order', () => {
    const out = renderJson(auditResult());
    expect(out.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['ok', 'startedAt', 'durationMs', 'checks']);
    expect(parsed.ok).toBe(false);
    expect(parsed.startedAt).toBe('2025-01-15T09:30:00.000Z');
    expect(parsed.durationMs).toBe(1234);
  });

  it('writes each check with id, status, summary, remedy when present, values and durationMs', () => {
    const parsed = JSON.parse(renderJson(auditResult())) as { checks: Record<string, unknown>[] };
    expect(parsed.checks).toHaveLength(MIXED_CHECKS.length);
    parsed.checks.forEach((check, i) => {
      const source = MIXED_CHECKS[i];
      const expectedKeys =
        source?.remedy === undefined
          ? ['id', 'status', 'summary', 'values', 'durationMs']
          : ['id', 'status', 'summary', 'remedy', 'values', 'durationMs'];
      expect(Object.keys(check)).toEqual(expectedKeys);
      expect(check).toEqual(source);
    });
  });

  it('keeps the contract key order whatever order the result was built in', () => {
    const scrambled: AuditResult = {
      checks: [
        { durationMs: 5, values: { a: 1 }, remedy: 'do it', summary: 's', status: 'warn', id: 'spend' },
      ],
      durationMs: 7,
      startedAt: '2025-01-15T09:30:00.000Z',
      ok: true,
    };
    expect(renderJson(scrambled)).toBe(
      '{\n  "ok": true,\n  "startedAt": "2025-01-15T09:30:00.000Z",\n  "durationMs": 7,\n  "checks": [\n' +
        '    {\n      "id": "spend",\n      "status": "warn",\n      "summary": "s",\n      "remedy": "do it",\n' +
        '      "values": {\n        "a": 1\n      },\n      "durationMs": 5\n    }\n  ]\n}\n',
    );
  });

  it('round-trips summaries with quotes, backslashes and control characters', () => {
    const summary = 'said "no" \\ then \u0000\u001b\n<&>';
    const parsed = JSON.parse(
      renderJson(auditResult([{ id: 'key-limit', status: 'warn', summary, values: {}, durationMs: 1 }])),
    ) as {
      checks: { summary: string }[];
    };
    expect(parsed.checks[0]?.summary).toBe(summary);
  });
});

import { describe, expect, it } from 'vitest';
import { Redactor } from '../../lambda/engine/redact';
import type { AuditResult } from '../../lambda/engine/result';
import { REPORT_FORMATS, renderReport } from '../../lambda/render/report';
import { auditResult, canaryKey, MIXED_CHECKS } from './fixtures';

const apiKey = canaryKey('c0ffee');
const managementKey = canaryKey('beef');
const webhook = `https://hooks.slack.com/services/T0/B0/${'x'.repeat(24)}`;

function leakyResult(): AuditResult {
  return auditResult(
    MIXED_CHECKS.map((check) => ({
      ...check,
      summary: `${check.summary} (key ${apiKey})`,
      remedy: `rotate ${managementKey} and check ${webhook}`,
      values: { ...check.values, nested: { deeper: [apiKey, `Bearer ${managementKey}`, webhook] } },
    })),
  );
}

describe('redaction in every report format', () => {
  it.each(REPORT_FORMATS)(
    '%s: masks key-shaped strings even with a redactor that knows no secret',
    (format) => {
      const out = renderReport(format, leakyResult(), { color: true });
      expect(out).not.toContain(apiKey);
      expect(out).not.toContain(managementKey);
      expect(out).not.toContain(apiKey.slice(9, 30));
    },
  );

  it.each(REPORT_FORMATS)('%s: masks every secret registered with the redactor', (format) => {
    const redactor = new Redactor().add(apiKey).add(managementKey).add(webhook);
    const out = renderReport(format, leakyResult(), { redactor });
    for (const secret of [apiKey, managementKey, webhook]) expect(out).not.toContain(secret);
    expect(out).toContain('REDACTED');
  });

  it.each(REPORT_FORMATS)('%s: keeps OpenRouter masked labels readable', (format) => {
    expect(renderReport(format, auditResult())).toContain('sk-or-v1-726...f5c');
  });
});

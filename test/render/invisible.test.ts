/**
 * Bidi and zero-width characters from an API (a model name, an error message) never reach an
 * output raw: the text reports and alerts show U+FFFD where each was, the JSON report escapes it.
 */
import { describe, expect, it } from 'vitest';
import { decideAlert } from '../../lambda/alerts/decide-alert';
import { previewAlert, renderAlert } from '../../lambda/alerts/render-alert';
import { buildSlackMessage } from '../../lambda/alerts/slack-webhook';
import type { AuditResult } from '../../lambda/engine/result';
import type { JsonReport } from '../../lambda/render/json';
import { REPORT_FORMATS, renderReport } from '../../lambda/render/report';
import { auditResult, MIXED_CHECKS } from './fixtures';

/** Right-to-left override, zero-width space, left-to-right isolate, pop directional isolate, BOM, soft hyphen. */
const HIDDEN = ['\u202e', '\u200b', '\u2066', '\u2069', '\ufeff', '\u00ad', '\u200f', '\u061c'] as const;
const SUMMARY = `model ${HIDDEN.join('')}txt.exe is retired`;
const RAW = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

const leaky = (): AuditResult =>
  auditResult(
    MIXED_CHECKS.map((check) => ({ ...check, summary: SUMMARY, remedy: `rename ${HIDDEN.join('')}it` })),
  );

describe('invisible and reordering characters in reports', () => {
  it.each(REPORT_FORMATS)('%s: none reaches the output raw', (format) => {
    for (const color of [false, true]) {
      const out = renderReport(format, leaky(), { color });
      expect(out).not.toMatch(RAW);
      expect(out).toContain('txt.exe');
    }
  });

  it.each(['table', 'markdown', 'junit'] as const)('%s: each shows as U+FFFD where it was', (format) => {
    expect(renderReport(format, leaky())).toContain(`model ${'\ufffd'.repeat(HIDDEN.length)}txt.exe`);
  });

  it('json: escapes each, so a parser still reads the text the API sent', () => {
    const out = renderReport('json', leaky());
    expect(out).toContain('\\u202e\\u200b\\u2066');
    const report = JSON.parse(out) as JsonReport;
    expect(report.checks[0]?.summary).toBe(SUMMARY);
  });
});

describe('invisible and reordering characters in alerts', () => {
  it('none reaches the subject, e-mail text, SNS message, Chatbot notification, Slack message or preview', () => {
    const result = leaky();
    const runAt = new Date(result.startedAt);
    const context = { environmentName: `prod${HIDDEN[0]}`, dashboardUrl: 'https://example.com/d', runAt };
    const { alert } = decideAlert({
      previous: null,
      result,
      now: runAt,
      reminderHours: 24,
      deploymentId: `d${HIDDEN[1]}1`,
    });
    if (alert === null) throw new Error('a first run always alerts');
    const rendered = renderAlert(alert, context);
    const preview = previewAlert(result, context);
    const outputs = [
      rendered.subject,
      rendered.text,
      rendered.snsMessage,
      JSON.stringify(rendered.chatbot),
      JSON.stringify(buildSlackMessage(rendered)),
      preview.subject,
      preview.text,
    ];
    for (const out of outputs) expect(out).not.toMatch(RAW);
    expect(rendered.text).toContain('txt.exe');
  });
});

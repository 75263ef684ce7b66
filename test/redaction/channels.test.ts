/**
 * Every field of every output channel, with secrets in every string a check result, the alert
 * context and a log line can carry: the four report formats, the alert (subject, e-mail text,
 * Chatbot notification, SNS message), the Slack webhook body and the Lambda's JSON log lines.
 */
import { describe, expect, it } from 'vitest';
import type { AlertPlan } from '../../lambda/alerts/decide-alert';
import { previewAlert, renderAlert } from '../../lambda/alerts/render-alert';
import { buildSlackMessage } from '../../lambda/alerts/slack-webhook';
import { createJsonLogger } from '../../lambda/aws/json-logger';
import { maskKey, Redactor } from '../../lambda/engine/redact';
import type { AuditResult, CheckResult } from '../../lambda/engine/result';
import { REPORT_FORMATS, renderReport } from '../../lambda/render/report';
import { auditResult, MIXED_CHECKS } from '../render/fixtures';
import { canaryWebhook, freshCanaryKey } from '../support/canary';

const PREFIX = 'sk-or-v1-';
const apiKey = freshCanaryKey();
const managementKey = freshCanaryKey();
/** A key the redactor was never told about (e.g. another key of the account echoed back). */
const strangerKey = freshCanaryKey();
const webhook = canaryWebhook();
const redactor = () => new Redactor().add(apiKey).add(managementKey).add(webhook.url);

/** Each secret in the forms it comes back in: twice whole, unregistered, cut after 10 characters. */
const leak = (where: string) =>
  `${where}: ${apiKey} then ${apiKey}; mgmt ${managementKey}; other ${strangerKey}; cut ${strangerKey.slice(0, PREFIX.length + 10)}… hook ${webhook.url} ${webhook.url}`;

function leakyChecks(): CheckResult[] {
  return MIXED_CHECKS.map((check) => ({
    ...check,
    summary: leak(`${check.id} summary`),
    remedy: leak(`${check.id} remedy`),
    values: {
      ...check.values,
      text: leak('value'),
      nested: { list: [leak('list item'), { deeper: leak('deeper') }] },
      [`${apiKey}`]: 'a secret as a field name',
    },
  }));
}

const leakyResult = (): AuditResult => auditResult(leakyChecks());

/** Fails naming the secret and a piece of it when any 7-character run of a secret survives. */
function expectNoSecret(out: string): void {
  const secrets = {
    apiKey: apiKey.slice(PREFIX.length),
    managementKey: managementKey.slice(PREFIX.length),
    strangerKey: strangerKey.slice(PREFIX.length),
    webhook: webhook.token,
  };
  // One assertion over every run: an expect() per run made the offset sweeps below the slowest
  // tests of the mutation runs.
  const leaked: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    // The stranger key may show OpenRouter's own 3 + 3 label characters, nothing more.
    for (let i = 0; i + 7 <= secret.length; i += 1) {
      const run = secret.slice(i, i + 7);
      if (out.includes(run)) leaked.push(`${name} leaked: "${run}"`);
    }
  }
  expect(leaked).toEqual([]);
  expect(out).not.toContain(webhook.url.replace('https://', ''));
}

/**
 * Every `sk-or-v1-` left in the output must be a mask: `***`, the stranger's label, or a clipped
 * start of one of them (a clip after redaction may cut the mask, never the key).
 */
function expectOnlyMasks(out: string): void {
  // The fixtures' own masked label (sk-or-v1-726...f5c) is OpenRouter's form too.
  const allowed = [`${PREFIX}***`, maskKey(strangerKey), `${PREFIX}726...f5c`];
  for (const match of out.matchAll(/sk-or-v1-[^\s"'\\…&<]*/gi)) {
    const shown = match[0];
    expect(
      allowed.some((mask) => mask.startsWith(shown) || shown.startsWith(mask)),
      `unmasked "${shown}"`,
    ).toBe(true);
  }
}

const context = (r: Redactor) => ({
  environmentName: `prod ${apiKey}`,
  dashboardUrl: `https://console.aws.amazon.com/cloudwatch/home#dashboards:name=x&k=${apiKey}&h=${webhook.url}`,
  runAt: new Date('2026-11-25T12:00:00.000Z'),
  redactor: r,
});

function problemPlan(checks: readonly CheckResult[]): AlertPlan {
  return {
    kind: 'problem',
    reason: 'changed',
    deploymentId: `deploy ${apiKey}`,
    checks: checks.map((c) => ({
      id: c.id,
      status: c.status,
      previous: 'pass' as const,
      change: c.status === 'fail' || c.status === 'error' ? ('new-problem' as const) : ('unchanged' as const),
      since: '2026-11-25T12:00:00.000Z',
      summary: c.summary,
      ...(c.remedy === undefined ? {} : { remedy: c.remedy }),
    })),
  };
}

describe('no secret in any field of any output channel', () => {
  it.each(REPORT_FORMATS)('the %s report', (format) => {
    for (const options of [{ redactor: redactor() }, { redactor: redactor(), color: true }]) {
      const out = renderReport(format, leakyResult(), options);
      expectNoSecret(out);
      expectOnlyMasks(out);
      expect(out).toContain('REDACTED');
    }
  });

  it('the alert preview (subject and text)', () => {
    const { subject, text } = previewAlert(leakyResult(), context(redactor()));
    for (const out of [subject, text]) {
      expectNoSecret(out);
      expectOnlyMasks(out);
    }
    expect(text).toContain('[REDACTED]');
  });

  it('every field of the rendered alert, the SNS message and the Slack body', () => {
    const alert = renderAlert(problemPlan(leakyChecks()), context(redactor()));
    const slack = buildSlackMessage(alert);
    const fields = {
      subject: alert.subject,
      text: alert.text,
      chatbot: JSON.stringify(alert.chatbot),
      sns: alert.snsMessage,
      slack: JSON.stringify(slack),
    };
    for (const [name, out] of Object.entries(fields)) {
      expect(out.length, name).toBeGreaterThan(0);
      expectNoSecret(out);
      expectOnlyMasks(out);
    }
    expect(alert.text).toContain('[REDACTED]');
  });

  it('every field of a JSON log line, nested and in errors', () => {
    const lines: unknown[] = [];
    const record = (line: unknown) => lines.push(line);
    const logger = createJsonLogger({
      redactor: redactor(),
      sink: { debug: record, info: record, warn: record, error: record },
      fields: { base: leak('base') },
    }).child({ child: leak('child') });
    logger.info(leak('message'), { field: leak('field'), list: [leak('item')] });
    logger.error('failed', { error: new Error(leak('error')), cause: { body: leak('body') } });
    logger.warn(leak('warn'));
    logger.debug(leak('debug'));
    expect(lines).toHaveLength(4);
    const out = JSON.stringify(lines);
    expectNoSecret(out);
    expectOnlyMasks(out);
  });
});

describe('a secret at the clip boundary of an alert summary', () => {
  // The alert clips a summary at 500 characters; a secret placed across that point must be
  // masked before the clip, or the clip would leave a piece the redactor no longer recognises.
  const offsets = Array.from({ length: 80 }, (_, i) => 420 + i);

  it.each([
    ['a registered key', () => apiKey],
    ['an unregistered key', () => strangerKey],
  ])('%s at every offset from 420 to 499', (_name, secret) => {
    for (const offset of offsets) {
      const summary = `${'x'.repeat(offset)}${secret()} trailing text`;
      const checks = leakyChecks().map((c) => ({ ...c, summary, remedy: summary }));
      const alert = renderAlert(problemPlan(checks), context(redactor()));
      for (const out of [alert.text, alert.snsMessage, JSON.stringify(buildSlackMessage(alert))]) {
        expectNoSecret(out);
        expectOnlyMasks(out);
      }
    }
  });

  it('the clip really cuts inside the secret at these offsets (the test can fail)', () => {
    const summary = `${'x'.repeat(480)}${strangerKey} trailing text`;
    const checks = leakyChecks().map((c) => ({ ...c, summary }));
    const alert = renderAlert(problemPlan(checks), context(new Redactor()));
    expect(alert.text).toContain('x'.repeat(480));
    expect(alert.text).not.toContain('trailing text');
  });
});

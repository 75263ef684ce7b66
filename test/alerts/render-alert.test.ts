import { describe, expect, it } from 'vitest';
import type { AlertState } from '../../lambda/alerts/alert-state';
import { type AlertPlan, decideAlert } from '../../lambda/alerts/decide-alert';
import {
  type AlertRenderContext,
  previewAlert,
  renderAlert,
  renderSubject,
  SNS_MAX_MESSAGE_BYTES,
  SUBJECT_MAX_LENGTH,
} from '../../lambda/alerts/render-alert';
import { Redactor } from '../../lambda/engine/redact';
import { type AuditResult, CHECK_IDS, type CheckId, type CheckStatus } from '../../lambda/engine/result';
import { auditResult, DEPLOYMENT, fakeKey, hoursAfter, storedState, T0 } from './fixtures';

const RUN_AT = hoursAfter(1);
const DASHBOARD =
  'https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/OpenRouterAudit';
const context: AlertRenderContext = { environmentName: 'prod', dashboardUrl: DASHBOARD, runAt: RUN_AT };

function plan(previous: AlertState | null | 'unreadable', result: AuditResult, now = RUN_AT): AlertPlan {
  const { alert } = decideAlert({ previous, result, now, reminderHours: 24, deploymentId: DEPLOYMENT });
  if (alert === null) throw new Error('the fixture was meant to alert');
  return alert;
}

const ASCII_LINE = /^[\x20-\x7e]+$/;

describe('renderSubject', () => {
  it.each([
    {
      case: 'first run, healthy',
      previous: null,
      now: {},
      subject: 'Monitoring started: all checks pass (prod)',
    },
    {
      case: 'first run with a warning',
      previous: null,
      now: { spend: 'warn' },
      subject: 'Monitoring started: no failures, WARN spend (prod)',
    },
    {
      case: 'first run with problems',
      previous: null,
      now: { credits: 'fail', models: 'error' },
      subject: 'Monitoring started: FAIL credits; ERROR models (prod)',
    },
    {
      case: 'two new failures',
      previous: {},
      now: { credits: 'fail', models: 'fail' },
      subject: 'FAIL credits, models (prod)',
    },
    {
      case: 'a new failure and a recovery',
      previous: { credits: 'fail' },
      now: { models: 'fail' },
      subject: 'FAIL models; RESOLVED credits (prod)',
    },
    {
      case: 'a new error beside an old failure',
      previous: { credits: 'fail' },
      now: { credits: 'fail', auth: 'error' },
      subject: 'ERROR auth; still FAIL credits (prod)',
    },
    {
      case: 'the last recovery',
      previous: { credits: 'fail' },
      now: {},
      subject: 'RESOLVED credits: all clear (prod)',
    },
    {
      case: 'a recovery while another still fails',
      previous: { credits: 'fail', models: 'fail' },
      now: { models: 'fail' },
      subject: 'RESOLVED credits; still FAIL models (prod)',
    },
  ] satisfies {
    case: string;
    previous: { [id in CheckId]?: CheckStatus } | null;
    now: { [id in CheckId]?: CheckStatus };
    subject: string;
  }[])('says what is wrong at a glance: $case', ({ previous, now, subject }) => {
    const stored =
      previous === null
        ? null
        : storedState(Object.fromEntries(Object.entries(previous).map(([id, status]) => [id, { status }])));

    expect(renderSubject(plan(stored, auditResult(now)), 'prod')).toBe(`[OpenRouter audit] ${subject}`);
  });

  it('words a reminder', () => {
    const previous = storedState({ credits: { status: 'fail', lastAlertAt: T0.toISOString() } });

    expect(renderSubject(plan(previous, auditResult({ credits: 'fail' }), hoursAfter(25)), 'prod')).toBe(
      '[OpenRouter audit] REMINDER FAIL credits (prod)',
    );
  });

  it('says the state was unreadable when nothing fails', () => {
    expect(renderSubject(plan('unreadable', auditResult()), 'prod')).toBe(
      '[OpenRouter audit] State unreadable: all checks pass (prod)',
    );
  });

  it('leaves out the environment when there is none', () => {
    expect(renderSubject(plan(storedState(), auditResult({ credits: 'fail' })), '')).toBe(
      '[OpenRouter audit] FAIL credits',
    );
  });

  const everything = Object.fromEntries(CHECK_IDS.map((id, i) => [id, i % 2 === 0 ? 'fail' : 'error']));
  it.each([
    'prod',
    'production-eu-west-1-primary-account-with-a-very-long-name',
    'prödüction ümlaut – “quoted” 日本語 🚀',
    'line\nbreak\r\nand\ttab',
    '',
  ])('stays ASCII, on one line and within 99 characters with every check failing (env %j)', (env) => {
    for (const previous of [null, storedState(), 'unreadable' as const]) {
      const subject = renderSubject(plan(previous, auditResult(everything)), env);

      expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
      expect(subject).toMatch(ASCII_LINE);
    }
  });

  it('counts the check ids that do not fit as "+N more"', () => {
    const subject = renderSubject(
      plan(storedState(), auditResult(everything)),
      'production-eu-west-1-primary',
    );

    expect(subject).toMatch(
      /^\[OpenRouter audit\] FAIL auth, credits, .* \+\d+ more \(production-eu-west-1-pri\)$/,
    );
    const shown = subject.match(/[a-z-]+(?=,|;| \+)/g) ?? [];
    const more = Number(subject.match(/\+(\d+) more/)?.[1]);
    expect(shown.length + more).toBe(CHECK_IDS.length);
  });
});

describe('renderAlert', () => {
  const previous = storedState({ models: { status: 'fail' } });
  const result = auditResult(
    { credits: 'fail', spend: 'warn' },
    {
      credits: {
        summary: 'Balance $1.20 is under the $5.00 threshold.',
        remedy: 'Top up credits. Runbook: x',
      },
    },
  );

  it('writes a plain-text e-mail body: what changed, every check, remedies, dashboard, run time', () => {
    const { text } = renderAlert(plan(previous, result), context);

    expect(text).toContain('OpenRouter audit (prod): New problem: credits (FAIL). Resolved: models (PASS).');
    expect(text).toContain(
      'What changed\n  credits: PASS -> FAIL (new problem)\n  models: FAIL -> PASS (resolved)',
    );
    expect(text).toContain('  spend: PASS -> WARN');
    for (const id of CHECK_IDS) expect(text).toMatch(new RegExp(`^  (PASS|WARN|FAIL) +${id} `, 'm'));
    expect(text).toContain(
      `FAIL   credits       Balance $1.20 is under the $5.00 threshold. (since ${RUN_AT.toISOString()})`,
    );
    expect(text).toContain('What to do\n  - credits: Top up credits. Runbook: x');
    expect(text).toContain('Worth a look soon (warnings)\n  - spend: Fix spend.');
    expect(text).toContain(`Dashboard: ${DASHBOARD}`);
    expect(text).toContain(`Run at: ${RUN_AT.toISOString()}`);
  });

  it('builds a Chatbot custom notification with the required fields', () => {
    const { chatbot, subject } = renderAlert(plan(previous, result), context);
    const parsed = JSON.parse(JSON.stringify(chatbot));

    expect(parsed).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown', nextSteps: ['*credits*: Top up credits. Runbook: x'] },
      metadata: {
        eventType: 'openrouter-audit.problem',
        summary: subject.replace('[OpenRouter audit] ', ''),
      },
    });
    expect(parsed.content.title).toBe(
      `:rotating_light: OpenRouter audit: ${subject.replace('[OpenRouter audit] ', '')}`,
    );
    expect(parsed.content.description).toContain(':red_circle: *credits* FAIL: Balance $1.20');
    expect(parsed.content.description).toContain(`<${DASHBOARD}|Open the dashboard>`);
    expect(parsed.content.keywords).toEqual(expect.arrayContaining(['OpenRouter', 'prod', 'credits']));
  });

  it('threads a problem and its resolution together, per environment', () => {
    const failed = renderAlert(plan(storedState(), auditResult({ credits: 'fail' })), context).chatbot;
    const resolved = renderAlert(
      plan(storedState({ credits: { status: 'fail' } }), auditResult()),
      context,
    ).chatbot;
    const staging = renderAlert(plan(storedState(), auditResult({ credits: 'fail' })), {
      ...context,
      environmentName: 'staging',
    }).chatbot;

    expect(resolved.metadata.threadId).toBe(failed.metadata.threadId);
    expect(staging.metadata.threadId).not.toBe(failed.metadata.threadId);
    expect(failed.metadata.threadId).toMatch(/^[a-z0-9-]{1,100}$/);
  });

  it('builds the MessageStructure json payload: default and https carry the Chatbot JSON, email the text', () => {
    const rendered = renderAlert(plan(previous, result), context);
    const payload: unknown = JSON.parse(rendered.snsMessage);

    expect(payload).toEqual({
      default: JSON.stringify(rendered.chatbot),
      email: rendered.text,
      https: JSON.stringify(rendered.chatbot),
    });
  });

  it('escapes Slack control characters so a summary cannot ping the channel', () => {
    const noisy = auditResult({ models: 'fail' }, { models: { summary: '<!channel> model <gone> & more' } });
    const { chatbot } = renderAlert(plan(storedState(), noisy), context);

    expect(chatbot.content.description).toContain('&lt;!channel&gt; model &lt;gone&gt; &amp; more');
    expect(chatbot.content.description).not.toContain('<!channel>');
  });

  it('stays under the SNS size limit with enormous, multi-byte, quote-heavy summaries', () => {
    const huge = '"\\é🚀'.repeat(50_000);
    const everything = Object.fromEntries(CHECK_IDS.map((id) => [id, 'fail']));
    const overrides = Object.fromEntries(CHECK_IDS.map((id) => [id, { summary: huge, remedy: huge }]));
    const rendered = renderAlert(plan(storedState(), auditResult(everything, overrides)), {
      ...context,
      dashboardUrl: `https://example.com/${'d'.repeat(100_000)}`,
    });

    const bytes = Buffer.byteLength(rendered.snsMessage) + Buffer.byteLength(rendered.subject);
    expect(bytes).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    expect(JSON.parse(rendered.snsMessage)).toHaveProperty('email');
    expect(rendered.chatbot.content.description.length).toBeGreaterThan(0);
    expect(rendered.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('redacts keys and registered secrets from every channel, even when clipped', () => {
    const key = fakeKey('cd');
    const webhook = `https://hooks.slack.com/services/T000/B000/${'x'.repeat(24)}`;
    const redactor = new Redactor().add(webhook);
    const leaky = auditResult(
      { auth: 'fail' },
      { auth: { summary: `Key ${key} was refused; posted to ${webhook}`, remedy: `Rotate ${key}.` } },
    );
    const rendered = renderAlert(plan(storedState(), leaky), {
      ...context,
      environmentName: `prod ${key}`,
      redactor,
    });
    const everything = JSON.stringify(rendered);

    expect(everything).not.toContain(key);
    expect(everything).not.toContain(key.slice(0, 24));
    expect(everything).not.toContain(webhook);
    expect(rendered.text).toContain('[REDACTED]');
  });
});

describe('previewAlert', () => {
  it('previews a failing result as a problem alert listing only the failures as changes', () => {
    const { subject, text } = previewAlert(auditResult({ credits: 'fail', spend: 'warn' }), context);

    expect(subject).toBe('[OpenRouter audit] FAIL credits (prod)');
    expect(text).toContain('  credits: PASS -> FAIL (new problem)');
    expect(text).not.toContain('spend: PASS -> WARN');
    expect(text).toContain('  - credits: Fix credits.');
  });

  it('previews a healthy result as the monitoring-started message', () => {
    const { subject, text } = previewAlert(auditResult(), context);

    expect(subject).toBe('[OpenRouter audit] Monitoring started: all checks pass (prod)');
    expect(text).toContain('This first message proves that alerts reach you.');
  });
});

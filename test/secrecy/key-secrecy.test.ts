/**
 * Key secrecy, end to end: with canary keys (random, of the real shape) and a canary Slack webhook
 * URL, against a simulator that echoes the caller's Authorization header back in its error
 * messages, nothing that leaves the process holds either key (nor its body, nor a prefix or a
 * piece of it) or the webhook URL (nor its token):
 * - the CLI, in every report format with the alert preview: stdout and stderr;
 * - a scheduled Lambda run (createAuditor, as the handler builds it): every log line, every AWS SDK
 *   input, every Slack webhook body, the run summary, and the error a run ends with;
 * - the alert and report renderers on a result built from those echoed errors.
 * Besides the Authorization echo, every route can quote the secrets in disguise (SECRET_FORMS: the
 * secret part alone, a 16-character run, percent-encoded, split by whitespace or zero-width
 * characters, upper-cased, cut short, twice); the canary search sees through each disguise.
 * The bundled handler, with its real SDK clients and the console, is covered end to end by
 * test/e2e/lambda-bundle.test.ts; `--help` by test/cli/help.test.ts.
 */
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSServiceException } from '@aws-sdk/client-sns';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decideAlert } from '../../lambda/alerts/decide-alert';
import { previewAlert, renderAlert } from '../../lambda/alerts/render-alert';
import { buildSlackMessage } from '../../lambda/alerts/slack-webhook';
import { AuditorError, type RunSummary } from '../../lambda/auditor';
import { maskKey } from '../../lambda/engine/redact';
import type { AuditResult } from '../../lambda/engine/result';
import { REPORT_FORMATS, renderReport } from '../../lambda/render/report';
import { ENV } from '../../lambda/settings-names';
import { startSimulator } from '../../simulator/server';
import { ROUTES, type RouteName } from '../../simulator/types';
import { captureLogger } from '../alerts/fixtures';
import { KEY_SHAPED, runCliCaptured } from '../cli/harness';
import { auditSimulator, useSimulator } from '../support/audit-harness';
import {
  API_SECRET,
  type AwsMocks,
  MANAGEMENT_SECRET,
  mockAwsClients,
  parameterStore,
  resetAwsMocks,
  SLACK_SECRET,
  secretString,
} from '../support/aws-mocks';
import {
  asText,
  CANARY_WEBHOOK_HOST,
  type Canary,
  canaryWebhook,
  expectNoCanary,
  freshCanaryKey,
  keyCanary,
  type Outputs,
  SECRET_FORMS,
  seeThrough,
  webhookCanary,
} from '../support/canary';
import { type FakeSlack, rerouteOrigin, startFakeSlack } from '../support/fake-slack';
import { auditorRun, type LogLine } from '../support/lambda-run';
import { rejectionOf } from '../support/rejection';

expect.extend(allCustomMatcher);

const apiKey = freshCanaryKey();
const managementKey = freshCanaryKey();
const webhook = canaryWebhook();
const canaries: readonly Canary[] = [
  keyCanary('the API key', apiKey),
  keyCanary('the management key', managementKey),
  webhookCanary('the Slack webhook URL', webhook),
];

// The real clock: the CLI audits with it, and the simulator's data must agree.
const sim = useSimulator({ apiKey, managementKey, now: () => new Date() });
const aws = mockAwsClients();

/** What the simulator writes into an echoed error, before the key: proof the echo reached an output. */
const ECHOED = 'Invalid credentials in header';

const STATUSES: Readonly<Record<RouteName, number>> = {
  key: 401,
  credits: 403,
  keys: 403,
  models: 400,
  endpoints: 400,
  chat: 402,
  generation: 400,
  workspaces: 500,
  guardrails: 403,
  activity: 403,
};

function echoOn(routes: readonly RouteName[]): void {
  for (const route of routes) sim.current.injectFault(route, { kind: 'echo-key', status: STATUSES[route] });
}

/**
 * Every route answers an error whose message holds `text` (a secret in some disguise), as a
 * server that echoes what it was sent, or a proxy that quotes it, would.
 */
function quoteOn(routes: readonly RouteName[], text: string): void {
  for (const route of routes) {
    const status = STATUSES[route];
    sim.current.injectFault(route, {
      kind: 'json',
      status,
      body: { error: { code: status, message: `${ECHOED}: ${text}` } },
    });
  }
}

/** The keys in one disguise, as one message (with the webhook URL too for a Lambda run, which knows it). */
const disguised = (form: (secret: string) => string, withWebhook = false): string =>
  `api ${form(apiKey)} management ${form(managementKey)}${withWebhook ? ` webhook ${form(webhook.url)}` : ''}`;

/**
 * With /key echoing, auth fails and the checks that need /key skip; with /key healthy, the other
 * routes (credits, keys, models, chat) are reached and echo the key in their errors; with /key
 * echoing only the management key, the auth check reports the management key as unusable.
 */
const FAULT_SETS: readonly (readonly [string, () => void])[] = [
  ['every route', () => echoOn(ROUTES)],
  ['every route but /key', () => echoOn(ROUTES.filter((route) => route !== 'key'))],
  [
    'every route (/key only for the management key)',
    () => {
      echoOn(ROUTES.filter((route) => route !== 'key'));
      sim.current.injectFault('key', { kind: 'echo-key', status: 401, key: 'management' });
    },
  ],
];

/** Each value as an output of its own, so that a sighting names the very line or call. */
function numbered<T>(name: string, values: readonly T[], hint: (value: T) => string = () => ''): Outputs {
  return Object.fromEntries(values.map((value, i) => [`${name} ${i + 1}${hint(value)}`, asText(value)]));
}

/** Log lines, each named by its number, message and check: `log line 6 (check, auth)`. */
const logOutputs = (lines: readonly LogLine[]): Outputs =>
  numbered(
    'log line',
    lines,
    (line) => ` (${[line.msg, line.check].filter((v) => v !== undefined).join(', ')})`,
  );

/** Every input any mocked AWS client received, named by its command. */
function sdkOutputs(mocks: AwsMocks): Outputs {
  const outputs: Record<string, string> = {};
  for (const mock of mocks.all) {
    mock.calls().forEach((call, i) => {
      const command: unknown = call.args[0];
      const name = typeof command === 'object' && command !== null ? command.constructor.name : 'command';
      const input =
        typeof command === 'object' && command !== null && 'input' in command ? command.input : command;
      outputs[`${name} input (call ${i + 1})`] = asText(input);
    });
  }
  return outputs;
}

// A check of the test helper itself (the canary search), not product coverage: it proves the
// suite above could fail.
describe('the canary search (test helper)', () => {
  it.each([
    ['the whole API key', () => `Authorization: Bearer ${apiKey}`],
    ['the 64-hex body of the management key', () => `token=${managementKey.slice('sk-or-v1-'.length)}`],
    ['an 8-character prefix after sk-or-v1-', () => `key ${apiKey.slice(0, 'sk-or-v1-'.length + 8)}… cut`],
    ['12 characters from the end of a key', () => `…${managementKey.slice(-12)}`],
    ['the webhook URL', () => `posting to ${webhook.url}`],
    ['the webhook URL without its scheme', () => webhook.url.replace('https://', '')],
    ['the webhook path token', () => `{"path":"/${webhook.token}"}`],
  ])('fails, naming the output, when a captured string holds %s', (_case, captured) => {
    const outputs = { 'a clean output': 'nothing to see', 'a captured log line': captured() };
    expect(() => expectNoCanary(outputs, canaries)).toThrow(/in "a captured log line" at character \d+/);
    expect(() => expectNoCanary(outputs, canaries)).not.toThrow(/a clean output/);
  });

  it.each(SECRET_FORMS)('sees through a secret %s', (_form, form) => {
    for (const secret of [apiKey, managementKey, webhook.url]) {
      expect(() => expectNoCanary({ 'a log line': `quoted: ${form(secret)}` }, canaries)).toThrow(
        /in "a log line"/,
      );
    }
    expect(seeThrough('%2573K\u200b-OR %41')).toBe('sk-ora');
  });

  it('lets through the masked label OpenRouter itself shows (3 + 3 characters)', () => {
    expect(() =>
      expectNoCanary({ label: `${maskKey(apiKey)} and ${maskKey(managementKey)}` }, canaries),
    ).not.toThrow();
  });
});

describe('the CLI never prints a key', () => {
  const env = { OPENROUTER_API_KEY: apiKey, OPENROUTER_MANAGEMENT_KEY: managementKey };
  const cases = REPORT_FORMATS.flatMap((format) =>
    FAULT_SETS.map(([name, inject]) => [format, name, inject] as const),
  );

  it('talks to a simulator that really echoes the Authorization header (the test can fail)', async () => {
    sim.current.clearFaults();
    sim.current.injectFault('key', { kind: 'echo-key', status: 401, times: 1 });
    const response = await fetch(`${sim.current.baseUrl}/key`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(await response.text()).toContain(apiKey);
  });

  it.each(cases)('in %s format, with %s echoing the key back in its errors', async (format, name, inject) => {
    sim.current.clearFaults();
    inject();
    const { code, stdout, stderr } = await runCliCaptured(
      ['--base-url', sim.current.baseUrl, '--format', format, '--preview-alert'],
      { env },
    );
    expect(code).toBe(1);
    expect(stdout.length).toBeGreaterThan(0);
    expect(stdout + stderr).toContain(ECHOED);
    expectNoCanary(
      { [`stdout (${format}, ${name})`]: stdout, [`stderr (${format}, ${name})`]: stderr },
      canaries,
    );
    expect(stdout + stderr).not.toMatch(KEY_SHAPED);
  });

  const disguises = REPORT_FORMATS.flatMap((format) =>
    SECRET_FORMS.map(([name, form]) => [format, name, form] as const),
  );

  it.each(disguises)('in %s format, with every route quoting the keys %s', async (format, _name, form) => {
    sim.current.clearFaults();
    quoteOn(ROUTES, disguised(form));
    const { code, stdout, stderr } = await runCliCaptured(
      ['--base-url', sim.current.baseUrl, '--format', format, '--preview-alert'],
      { env },
    );
    expect(code).toBe(1);
    expect(stdout + stderr).toContain(ECHOED);
    expect(stdout + stderr).toContain('Alert preview');
    expectNoCanary({ [`stdout (${format})`]: stdout, [`stderr (${format})`]: stderr }, canaries.slice(0, 2));
  });

  it.each(REPORT_FORMATS)('in %s format on a healthy account', async (format) => {
    sim.current.clearFaults();
    const { code, stdout, stderr } = await runCliCaptured(
      ['--base-url', sim.current.baseUrl, '--format', format, '--preview-alert'],
      { env },
    );
    expect(code).toBe(0);
    expectNoCanary({ [`stdout (${format})`]: stdout, [`stderr (${format})`]: stderr }, canaries);
    expect(stdout + stderr).not.toMatch(KEY_SHAPED);
  });

  it('with --simulate, not even the simulator fake keys', async () => {
    const defaults = await startSimulator();
    const fakeKeys = [keyCanary('the simulator API key', defaults.apiKey)];
    fakeKeys.push(keyCanary('the simulator management key', defaults.managementKey));
    await defaults.close();
    for (const format of REPORT_FORMATS) {
      const { stdout, stderr } = await runCliCaptured([
        '--simulate',
        'invalid-key',
        '--format',
        format,
        '--preview-alert',
      ]);
      expectNoCanary({ [`stdout (${format})`]: stdout, [`stderr (${format})`]: stderr }, fakeKeys);
    }
  });
});

describe('a scheduled Lambda run never puts a secret in a log line, an AWS call, a Slack message or its summary', () => {
  let slack: FakeSlack;
  let agent: Agent;
  let dispatcher: Dispatcher;

  beforeAll(async () => {
    slack = await startFakeSlack([{ status: 200, body: 'ok' }], webhook.token);
    agent = new Agent();
    dispatcher = rerouteOrigin(agent, `https://${CANARY_WEBHOOK_HOST}`, slack.origin);
  });

  afterAll(async () => {
    await agent.close();
    await slack.close();
  });

  beforeEach(() => {
    resetAwsMocks(aws);
    parameterStore(aws);
    slack.requests.length = 0;
    sim.current.clearFaults();
  });

  /** One way of storing the secrets: each goes through its own parsing path. */
  interface StoredForm {
    readonly name: string;
    readonly store: () => void;
    readonly env: Readonly<Record<string, string>>;
  }

  const STORED_FORMS: readonly StoredForm[] = [
    {
      name: 'bare keys in two secrets and a bare webhook URL',
      store: () => {
        aws.sm.on(GetSecretValueCommand, { SecretId: API_SECRET }).resolves(secretString(`${apiKey}\n`));
        aws.sm
          .on(GetSecretValueCommand, { SecretId: MANAGEMENT_SECRET })
          .resolves(secretString(managementKey));
        aws.sm.on(GetSecretValueCommand, { SecretId: SLACK_SECRET }).resolves(secretString(webhook.url));
      },
      env: { [ENV.managementKeySecretId]: MANAGEMENT_SECRET, [ENV.slackWebhookSecretId]: SLACK_SECRET },
    },
    {
      name: 'both keys as JSON in one secret and the webhook URL as JSON',
      store: () => {
        aws.sm
          .on(GetSecretValueCommand, { SecretId: API_SECRET })
          .resolves(secretString(JSON.stringify({ apiKey, managementKey })));
        aws.sm
          .on(GetSecretValueCommand, { SecretId: SLACK_SECRET })
          .resolves(secretString(JSON.stringify({ url: webhook.url })));
      },
      env: { [ENV.slackWebhookSecretId]: SLACK_SECRET },
    },
  ];

  /** One invocation with the secrets stored as `form` says; the dispatcher sends the webhook to the fake Slack. */
  function invoke(form: StoredForm): { lines: LogLine[]; summary: Promise<RunSummary> } {
    form.store();
    const h = auditorRun({ baseUrl: sim.current.baseUrl, env: form.env, dispatcher, now: () => new Date() });
    return { lines: h.lines, summary: h.run() };
  }

  /** What the run sent out besides its result: log lines, AWS SDK inputs and Slack webhook bodies. */
  const sentOut = (lines: readonly LogLine[]): Outputs => ({
    ...logOutputs(lines),
    ...sdkOutputs(aws),
    ...numbered(
      'Slack webhook body',
      slack.requests.map((r) => r.body),
    ),
  });

  const cases = STORED_FORMS.flatMap((form) =>
    FAULT_SETS.map(([faults, inject]) => [form.name, faults, form, inject] as const),
  );

  it.each(cases)('with %s, and %s echoing the key back', async (_form, _faults, form, inject) => {
    inject();
    const run = invoke(form);

    const summary = await run.summary;

    // The run did all it does: logged, published, alerted through SNS and Slack, saved its state.
    expect(summary.ok).toBe(false);
    expect(summary.alert).toMatchObject({ kind: 'started', snsDelivered: true, slackDelivered: true });
    expect(aws.cw).toHaveReceivedCommand(PutMetricDataCommand);
    expect(aws.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    // Saved once SNS took the alert (the webhook still pending), and again once Slack answered.
    expect(aws.ssm).toHaveReceivedCommandTimes(PutParameterCommand, 2);
    expect(slack.requests).toHaveLength(1);
    expect(JSON.stringify(run.lines)).toContain(ECHOED);
    expectNoCanary({ ...sentOut(run.lines), 'the run summary': asText(summary) }, canaries);
  });

  it.each(SECRET_FORMS)(
    'with every route quoting the keys and the webhook URL %s: no log line, AWS call (metrics, SNS, SSM state), Slack body or summary holds them',
    async (_name, form) => {
      quoteOn(ROUTES, disguised(form, true));
      const run = invoke(STORED_FORMS[0] as StoredForm);

      const summary = await run.summary;

      expect(summary.alert).toMatchObject({ kind: 'started', snsDelivered: true, slackDelivered: true });
      expect(aws.cw).toHaveReceivedCommand(PutMetricDataCommand);
      expect(aws.ssm).toHaveReceivedCommandTimes(PutParameterCommand, 2);
      expect(slack.requests).toHaveLength(1);
      expect(JSON.stringify(run.lines)).toContain(ECHOED);
      expectNoCanary({ ...sentOut(run.lines), 'the run summary': asText(summary) }, canaries);
    },
  );

  it.each(STORED_FORMS.map((form) => [form.name, form] as const))(
    'with %s, ends in an error holding no secret (message, properties, stack, causes) when SNS fails quoting them',
    async (_form, form) => {
      echoOn(ROUTES);
      aws.sns.on(PublishCommand).rejects(
        new SNSServiceException({
          name: 'InternalErrorException',
          $fault: 'server',
          $metadata: { httpStatusCode: 500 },
          message: `Publish failed for ${apiKey} (management ${managementKey}) via ${webhook.url}`,
        }),
      );
      const run = invoke(form);

      const error = await rejectionOf(run.summary, AuditorError);

      expect(error.code).toBe('ALERT_NOT_DELIVERED');
      expect(slack.requests).toHaveLength(1);
      expectNoCanary(
        {
          'the thrown error (own properties, stack, cause chain)': asText(error),
          'its message': error.message,
          'its stack': error.stack ?? '',
          'its summary': asText(error.summary),
          ...sentOut(run.lines),
        },
        canaries,
      );
    },
  );
});

describe('the alert and report renderers never print a key from a result built on echoed errors', () => {
  const injections: readonly (readonly [string, () => void])[] = [
    ...FAULT_SETS,
    ...SECRET_FORMS.map(
      ([name, form]) =>
        [`every route quoting the keys ${name}`, () => quoteOn(ROUTES, disguised(form))] as const,
    ),
  ];
  it.each(injections)('with %s echoing the key back', async (_name, inject) => {
    sim.current.clearFaults();
    inject();
    const logger = captureLogger();
    const result: AuditResult = await auditSimulator(sim.current, {
      config: { dailyBudgetUsd: 50 },
      deps: { logger, now: () => new Date() },
    });
    expect(result.checks.map((c) => c.summary).join('\n')).toContain(ECHOED);

    const runAt = new Date(result.startedAt);
    const context = { environmentName: 'prod', dashboardUrl: 'https://example.com/dashboard', runAt };
    const { alert } = decideAlert({
      previous: null,
      result,
      now: runAt,
      reminderHours: 24,
      deploymentId: 'd-1',
    });
    if (alert === null) throw new Error('a first run always alerts');
    const rendered = renderAlert(alert, context);
    const preview = previewAlert(result, context);

    expectNoCanary(
      {
        'the result': asText(result),
        ...numbered('engine log line', logger.lines),
        ...Object.fromEntries(
          REPORT_FORMATS.flatMap((format) => [
            [`${format} report`, renderReport(format, result)],
            [`${format} report in color`, renderReport(format, result, { color: true })],
          ]),
        ),
        'alert subject': rendered.subject,
        'alert text': rendered.text,
        'alert SNS message': rendered.snsMessage,
        'alert Chatbot notification': asText(rendered.chatbot),
        'alert Slack message': asText(buildSlackMessage(rendered)),
        'alert preview': `${preview.subject}\n${preview.text}`,
      },
      canaries,
    );
  });
});

/**
 * The Lambda finishes before its timeout whatever hangs, and still ends with a result and the
 * alert sent: OpenRouter that never answers, an SSM parameter whose reads and writes never return,
 * a Slack host that accepts TCP but never completes TLS. Time is virtual (VirtualClock): the run's
 * deadlines and its remaining time come from the clock, which moves only when nothing else does.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FINAL_MARGIN_MS, type RunSummary } from '../../lambda/auditor';
import { ENV } from '../../lambda/settings-names';
import { ROUTES } from '../../simulator/types';
import { useSimulator } from '../support/audit-harness';
import {
  API_SECRET,
  hangUntilAborted,
  mockAwsClients,
  parameterStore,
  resetAwsMocks,
  SLACK_SECRET,
  secretString,
  unboundedCalls,
} from '../support/aws-mocks';
import { CANARY_WEBHOOK_HOST, canaryWebhook } from '../support/canary';
import { rerouteOrigin } from '../support/fake-slack';
import { auditorRun, type LogLine } from '../support/lambda-run';
import { runInVirtualTime, VirtualClock } from '../support/virtual-clock';

expect.extend(allCustomMatcher);

const apiKey = `sk-or-v1-${'5e'.repeat(32)}`;
const sim = useSimulator({ apiKey });
const aws = mockAwsClients();
const webhook = canaryWebhook();
/** The function's timeout in these runs, as in the report. */
const TIMEOUT_MS = 20_000;

/** A TCP server that accepts connections and never says a word: a TLS handshake to it never ends. */
let silent: Server;
const sockets = new Set<Socket>();
let agent: Agent;
let dispatcher: Dispatcher;

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ready) => silent.listen(0, '127.0.0.1', ready));
  const address = silent.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  agent = new Agent();
  dispatcher = rerouteOrigin(agent, `https://${CANARY_WEBHOOK_HOST}`, `https://127.0.0.1:${address.port}`);
});

afterAll(async () => {
  await agent.destroy();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((done) => silent.close(() => done()));
});

beforeEach(() => {
  resetAwsMocks(aws);
  sim.current.clearFaults();
  aws.sm.on(GetSecretValueCommand, { SecretId: API_SECRET }).resolves(secretString(apiKey));
  aws.sm.on(GetSecretValueCommand, { SecretId: SLACK_SECRET }).resolves(secretString(webhook.url));
});

interface Outcome {
  readonly summary: RunSummary;
  readonly lines: readonly LogLine[];
  /** Virtual milliseconds from the start of the invocation to its end. */
  readonly endedAt: number;
}

async function invoke(): Promise<Outcome> {
  const clock = new VirtualClock();
  const run = auditorRun({
    baseUrl: sim.current.baseUrl,
    env: { [ENV.slackWebhookSecretId]: SLACK_SECRET },
    dispatcher,
    clock,
  });
  const summary = await runInVirtualTime(clock, run.run(TIMEOUT_MS));
  return { summary, lines: run.lines, endedAt: clock.now };
}

const messages = (lines: readonly LogLine[]): unknown[] => lines.map((line) => line.msg);

describe('a run with everything hung', () => {
  it('ends before its timeout with a result, the SNS alert sent, and every AWS call bounded', async () => {
    for (const route of ROUTES) sim.current.injectFault(route, { kind: 'hang' });
    hangUntilAborted(aws.ssm);

    const { summary, lines, endedAt } = await invoke();

    expect(endedAt).toBeLessThanOrEqual(TIMEOUT_MS - FINAL_MARGIN_MS);
    expect(summary.ok).toBe(false);
    expect(Object.values(summary.checks)).toContain('error');
    // The state could not be read, so the run cannot tell "started" from a change: it alerts anyway.
    expect(summary.alert).toMatchObject({
      kind: 'problem',
      snsDelivered: true,
      slackDelivered: false,
      stateSaved: false,
      failedChannels: expect.arrayContaining(['state', 'slack-webhook']),
    });
    expect(aws.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(aws.ssm).toHaveReceivedCommand(GetParameterCommand);
    expect(aws.ssm).toHaveReceivedCommand(PutParameterCommand);
    expect(unboundedCalls(aws)).toBe(0);
    expect(messages(lines)).toContain('audit finished');
  });

  it('with only the state read hung, still alerts and saves the next state', async () => {
    hangUntilAborted(aws.ssm);
    aws.ssm.on(PutParameterCommand).resolves({ Version: 1 });

    const { summary, endedAt } = await invoke();

    expect(endedAt).toBeLessThanOrEqual(TIMEOUT_MS - FINAL_MARGIN_MS);
    expect(summary.alert).toMatchObject({ kind: 'started', snsDelivered: true, stateSaved: true });
    expect(aws.ssm).toHaveReceivedCommandTimes(PutParameterCommand, 1);
    expect(unboundedCalls(aws)).toBe(0);
  });

  it('with only the state write hung, ends in time with the alert delivered and the state reported unsaved', async () => {
    parameterStore(aws);
    aws.ssm.on(PutParameterCommand).callsFake(() => new Promise(() => {}));

    const { summary, endedAt, lines } = await invoke();

    // The mock ignores the abort signal here: the run's own bound (untilAborted) ends the wait.
    expect(endedAt).toBeLessThanOrEqual(TIMEOUT_MS - FINAL_MARGIN_MS);
    expect(summary.alert).toMatchObject({ snsDelivered: true, stateSaved: false });
    expect(messages(lines)).toContain('alert state not saved');
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { build, type Metafile } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV } from '../../lambda/settings-names';
import { auditorEsbuildOptions } from '../../lib/lambda-bundling';
import { startSimulator } from '../../simulator/server';
import type { Simulator } from '../../simulator/types';
import { captureConsole, lambdaContext } from '../support/lambda-run';
import { type AwsStandIn, startAwsStandIn } from './aws-stand-in';

/*
 * Runs the bundle the stack deploys (same esbuild options, from lib/lambda-bundling.ts) with its
 * real AWS SDK clients pointed at a local AWS stand-in by AWS_ENDPOINT_URL, and the OpenRouter
 * simulator as the API. Nothing leaves 127.0.0.1.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:openrouter-audit-alerts';
const API_SECRET = 'openrouter/api-key';
const PARAMETER = '/openrouter-audit/e2e/state';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

let sim: Simulator;
let aws: AwsStandIn;
let bundleDir: string;
let bundleFile: string;
let metafile: Metafile;

beforeAll(async () => {
  sim = await startSimulator();
  aws = await startAwsStandIn({
    secrets: { [API_SECRET]: JSON.stringify({ apiKey: sim.apiKey, managementKey: sim.managementKey }) },
  });
  // Inside node_modules so that the bundle's external @aws-sdk/* imports resolve from the project.
  bundleDir = await mkdtemp(join(REPO_ROOT, 'node_modules', '.cache-e2e-bundle-'));
  bundleFile = join(bundleDir, 'index.mjs');
  ({ metafile } = await build({ ...auditorEsbuildOptions(), outfile: bundleFile, metafile: true }));
});

afterAll(async () => {
  await aws?.close();
  await sim?.close();
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function configureEnvironment(): void {
  vi.stubEnv('AWS_ENDPOINT_URL', aws.url);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDSTANDIN');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'stand-in-secret');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv(ENV.apiKeySecretId, API_SECRET);
  vi.stubEnv(ENV.alertTopicArn, TOPIC);
  vi.stubEnv(ENV.schedulePeriodMinutes, '60');
  vi.stubEnv(ENV.stateParameterName, PARAMETER);
  vi.stubEnv(ENV.baseUrl, sim.baseUrl);
  vi.stubEnv(ENV.auditConfig, JSON.stringify({ dailyBudgetUsd: 50 }));
  vi.stubEnv(ENV.environmentName, 'e2e');
  vi.stubEnv(ENV.deploymentId, 'e2e-deploy');
}

/** Each import with a new query is a new module instance: a cold container. */
async function coldContainer(): Promise<Handler> {
  const module: unknown = await import(`${pathToFileURL(bundleFile).href}?container=${Date.now()}`);
  const handler =
    module !== null && typeof module === 'object'
      ? new Map(Object.entries(module)).get('handler')
      : undefined;
  if (typeof handler !== 'function') throw new Error('the bundle exports no handler function');
  return (event, context) => Promise.resolve(handler(event, context));
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value)) : {};

/** Metric names of every PutMetricData received since `from`. */
function metricNames(from: number): string[] {
  return aws.requests
    .slice(from)
    .filter((r) => r.service === 'cloudwatch' && r.action === 'PutMetricData')
    .flatMap((r) => {
      const data = asRecord(r.input).MetricData;
      return Array.isArray(data) ? data.map((d: unknown) => String(asRecord(d).MetricName)) : [];
    });
}

function checkStatusOf(from: number, check: string): unknown {
  const datums = aws.requests
    .slice(from)
    .filter((r) => r.service === 'cloudwatch')
    .flatMap((r) => {
      const data = asRecord(r.input).MetricData;
      return Array.isArray(data) ? data.map(asRecord) : [];
    });
  return datums.find(
    (d) =>
      d.MetricName === 'CheckStatus' &&
      JSON.stringify(d.Dimensions) === JSON.stringify([{ Name: 'Check', Value: check }]),
  )?.Value;
}

function publishes(from: number): { subject: string; message: Record<string, unknown>; structure: string }[] {
  return aws.requests
    .slice(from)
    .filter((r) => r.service === 'sns' && r.action === 'Publish')
    .map((r) => {
      const form = asRecord(r.input);
      return {
        subject: String(form.Subject),
        message: asRecord(JSON.parse(String(form.Message))),
        structure: String(form.MessageStructure),
      };
    });
}

function expectNoKeyReceived(output: unknown[]): void {
  const everything = JSON.stringify({ requests: aws.requests, output });
  expect(everything).not.toContain(sim.apiKey);
  expect(everything).not.toContain(sim.managementKey);
  expect(everything).not.toMatch(/sk-or-v1-[0-9a-f]{64}/i);
}

describe('the Lambda bundle', () => {
  /** Bundled files of undici, relative to its package folder. */
  const undiciFiles = () =>
    Object.keys(metafile.inputs).flatMap((path) => /node_modules\/undici\/(.+)$/.exec(path)?.[1] ?? []);

  it('holds undici’s HTTP client but not its entry point (fetch, WebSocket, caches, mocks)', () => {
    expect(undiciFiles()).toEqual(
      expect.arrayContaining(['lib/dispatcher/agent.js', 'lib/api/api-request.js', 'lib/global.js']),
    );
    expect(undiciFiles()).not.toContain('index.js');
    expect(
      undiciFiles().filter((file) => /^lib\/(web\/websocket|web\/eventsource|mock|cache)\//.test(file)),
    ).toEqual([]);
  });

  it('has the handler import the CloudWatch, SNS and SSM clients only when a run needs them', () => {
    const handlerImports = metafile.inputs['lambda/handler.ts']?.imports.filter((i) =>
      i.path.startsWith('@aws-sdk/'),
    );
    expect(handlerImports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '@aws-sdk/client-secrets-manager', kind: 'import-statement' }),
        expect.objectContaining({ path: '@aws-sdk/client-cloudwatch', kind: 'dynamic-import' }),
        expect.objectContaining({ path: '@aws-sdk/client-sns', kind: 'dynamic-import' }),
        expect.objectContaining({ path: '@aws-sdk/client-ssm', kind: 'dynamic-import' }),
      ]),
    );
    expect(handlerImports).toHaveLength(4);
  });

  it('loads only the Secrets Manager client with the bundle: the other SDK clients load during a run', () => {
    const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
    const sdkImports = output?.imports.filter((i) => i.path.startsWith('@aws-sdk/')) ?? [];
    expect(new Set(sdkImports.filter((i) => i.kind === 'import-statement').map((i) => i.path))).toEqual(
      new Set(['@aws-sdk/client-secrets-manager']),
    );
    expect(new Set(sdkImports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path))).toEqual(
      new Set(['@aws-sdk/client-cloudwatch', '@aws-sdk/client-sns', '@aws-sdk/client-ssm']),
    );
  });
});

describe('the bundled Lambda handler', () => {
  it('on a healthy run publishes metrics and sends "monitoring started" through the real SDK clients', async () => {
    configureEnvironment();
    const output = captureConsole();
    sim.setScenario('healthy');
    const from = aws.requests.length;
    const handler = await coldContainer();

    const summary = asRecord(await handler({}, lambdaContext(60_000, 'e2e-healthy')));

    expect(summary.ok).toBe(true);
    expect(aws.received('secretsmanager', 'GetSecretValue').map((r) => asRecord(r.input).SecretId)).toEqual([
      API_SECRET,
    ]);
    expect(metricNames(from)).toEqual(
      expect.arrayContaining([
        'CheckStatus',
        'CreditsRemaining',
        'RunwayDays',
        'KeyLimitRemaining',
        'KeyAgeDays',
        'SpendToday',
        'ProbeLatency',
        'ProbeCost',
        'ModelsUnavailable',
        'KeysWithoutLimit',
        'AuditDuration',
        'AuditCompleted',
      ]),
    );
    expect(checkStatusOf(from, 'credits')).toBe(0);
    const cloudwatch = aws.requests.slice(from).find((r) => r.service === 'cloudwatch');
    expect(asRecord(cloudwatch?.input).Namespace).toBe('OpenRouter/Audit');
    expect(String(cloudwatch?.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSTANDIN\//);

    const [alert, ...more] = publishes(from);
    expect(more).toEqual([]);
    expect(alert?.structure).toBe('json');
    expect(alert?.subject).toMatch(/^\[OpenRouter audit\]/);
    expect(alert?.subject).toContain('e2e');
    expect(alert?.subject.length).toBeLessThan(100);
    expect(typeof alert?.message.default).toBe('string');
    expect(asRecord(JSON.parse(String(alert?.message.default)))).toMatchObject({
      version: '1.0',
      source: 'custom',
    });
    expect(aws.parameters.get(PARAMETER)).toContain('"deploymentId":"e2e-deploy"');
    expectNoKeyReceived(output);
  });

  it('on a failing run publishes the failing status and sends a problem alert', async () => {
    configureEnvironment();
    const output = captureConsole();
    sim.setScenario('low-credits');
    const from = aws.requests.length;
    const handler = await coldContainer();

    const summary = asRecord(await handler({}, lambdaContext(60_000, 'e2e-failing')));

    expect(summary.ok).toBe(false);
    expect(asRecord(summary.checks).credits).toBe('fail');
    expect(checkStatusOf(from, 'credits')).toBe(2);
    expect(metricNames(from)).toContain('AuditCompleted');
    const [alert] = publishes(from);
    expect(alert?.subject).toContain('FAIL');
    expect(alert?.subject).toContain('credits');
    expect(String(alert?.message.email)).toContain('credits');
    expectNoKeyReceived(output);
  });

  it('ends the invocation in error when SNS refuses the alert, after publishing the metrics', async () => {
    configureEnvironment();
    captureConsole();
    sim.setScenario('healthy');
    const from = aws.requests.length;
    aws.failNext('sns', 'Publish', 'AuthorizationError', 10);
    const handler = await coldContainer();

    const error = await handler({}, lambdaContext(60_000, 'e2e-sns-down')).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'AuditorError', code: 'ALERT_NOT_DELIVERED' });
    expect(metricNames(from)).toEqual(expect.arrayContaining(['AuditCompleted', 'AlertDeliveryFailures']));
  });
});

import { CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { type GetSecretValueCommandOutput, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * The four AWS SDK clients the Lambda uses, mocked with aws-sdk-client-mock, and the AWS names and
 * readings the Lambda tests share. Nothing here reaches AWS.
 */

export const API_SECRET = 'openrouter/api-key';
export const MANAGEMENT_SECRET = 'openrouter/management-key';
export const SLACK_SECRET = 'openrouter/slack-webhook';
export const TOPIC = 'arn:aws:sns:us-east-1:123456789012:openrouter-audit';
export const PARAMETER = '/openrouter-audit/state';

/**
 * Mocks on the client prototypes, so the clients a test or the handler builds are intercepted too.
 * Call once per test file, at file level.
 */
export function mockAwsClients() {
  const sm = mockClient(SecretsManagerClient);
  const cw = mockClient(CloudWatchClient);
  const sns = mockClient(SNSClient);
  const ssm = mockClient(SSMClient);
  return { sm, cw, sns, ssm, all: [sm, cw, sns, ssm] as const };
}

export type AwsMocks = ReturnType<typeof mockAwsClients>;

/** Forgets every behaviour and call, then accepts metrics and alerts (the usual start of a test). */
export function resetAwsMocks(aws: AwsMocks): void {
  for (const mock of aws.all) mock.reset();
  aws.cw.on(PutMetricDataCommand).resolves({});
  aws.sns.on(PublishCommand).resolves({ MessageId: 'message-1' });
}

/** An SSM parameter that keeps its value between runs, as the real one does. */
export function parameterStore(aws: AwsMocks, name = PARAMETER): { value: () => string | undefined } {
  let stored: string | undefined;
  aws.ssm.on(GetParameterCommand, { Name: name }).callsFake(() => {
    if (stored === undefined) throw new ParameterNotFound({ $metadata: {}, message: 'not found' });
    return { Parameter: { Name: name, Value: stored, Type: 'String' } };
  });
  aws.ssm.on(PutParameterCommand, { Name: name }).callsFake((input: { Value?: string }) => {
    stored = input.Value;
    return { Version: 1, Tier: 'Standard' };
  });
  return { value: () => stored };
}

/** A GetSecretValue answer holding `value` as the current secret string. */
export const secretString = (
  value: string,
  createdDate = new Date('2026-11-01T00:00:00.000Z'),
): Partial<GetSecretValueCommandOutput> => ({
  SecretString: value,
  CreatedDate: createdDate,
  VersionStages: ['AWSCURRENT'],
});

/** Every datum named `name` in every PutMetricData received. */
export const datumsOf = (aws: AwsMocks, name: string): MetricDatum[] =>
  aws.cw
    .commandCalls(PutMetricDataCommand)
    .flatMap((call) => call.args[0].input.MetricData ?? [])
    .filter((d) => d.MetricName === name);

/** The names of every datum in every PutMetricData received. */
export const metricNames = (aws: AwsMocks): string[] =>
  aws.cw
    .commandCalls(PutMetricDataCommand)
    .flatMap((call) => (call.args[0].input.MetricData ?? []).map((d) => d.MetricName ?? ''));

/** The input of every SNS Publish received. */
export const publishedAlerts = (aws: AwsMocks): PublishCommandInput[] =>
  aws.sns.commandCalls(PublishCommand).map((call) => call.args[0].input);

/** The input of every command any of the four clients received. */
export const sdkInputs = (aws: AwsMocks): unknown[] =>
  aws.all.flatMap((mock) => mock.calls().map((call) => call.args[0].input));

/** Everything that left the process: every SDK input and the log lines, as one string to search. */
export const everythingSent = (aws: AwsMocks, lines: readonly unknown[]): string =>
  JSON.stringify({ inputs: sdkInputs(aws), lines });

/** Any of the four client mocks. */
type AnyClientMock = AwsMocks['all'][number];

/** The `send` options (second argument) of every call a mock received. */
const sendOptionsOf = (mock: AnyClientMock): unknown[] =>
  mock.send.getCalls().map((call) => (call.args as readonly unknown[])[1]);

/**
 * Every command `mock` has no behaviour for hangs as a stalled AWS endpoint does: it never answers,
 * and rejects only when the caller's `abortSignal` fires, as the SDK's HTTP handler does.
 */
export function hangUntilAborted(mock: AnyClientMock): void {
  mock.send.callsFake((...args: unknown[]) => {
    const options = args[1];
    const signal =
      typeof options === 'object' && options !== null && 'abortSignal' in options
        ? options.abortSignal
        : undefined;
    return new Promise<never>((_resolve, reject) => {
      if (!(signal instanceof AbortSignal)) return;
      const abort = () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
    });
  });
}

/** How many calls, over all four clients, were sent without an abort signal (should be none). */
export const unboundedCalls = (aws: AwsMocks): number =>
  aws.all
    .flatMap(sendOptionsOf)
    .filter(
      (options) =>
        !(
          typeof options === 'object' &&
          options !== null &&
          'abortSignal' in options &&
          options.abortSignal instanceof AbortSignal
        ),
    ).length;

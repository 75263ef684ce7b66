import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Dispatcher } from 'undici';
import type { StateStore } from './alerts/alert-state';
import { runAlerting } from './alerts/alerting';
import { type DigestOutcome, runDigest } from './alerts/digest';
import { type ForwardOutcome, forwardAlarms, type SnsEventLike } from './alerts/forward-alarms';
import type { JsonLogger } from './aws/json-logger';
import {
  buildAlertFailureDatums,
  buildMetricData,
  type DeliveryChannel,
  publishMetrics,
  toPutMetricDataInputs,
} from './aws/metrics';
import {
  type LoadedKeys,
  type LoadedWebhookUrl,
  loadKeys,
  loadSlackWebhookUrl,
  type SecretSource,
} from './aws/secrets';
import type { AuditDeps } from './engine/deps';
import type { Redactor } from './engine/redact';
import type { AuditResult, CheckId, CheckStatus } from './engine/result';
import { runAudit } from './engine/run-audit';
import { createOpenRouterClient } from './openrouter/client';
import type { Settings } from './settings';
import { realTimers, type Timers } from './timers';

/**
 * One scheduled run of the Lambda: read the keys, run the engine under a deadline derived from the
 * invocation's remaining time, then publish metrics and run alerting independently. The handler
 * builds the dependencies once per container; tests build their own (mocked SDK clients, the
 * simulator) and call `run` directly.
 */

/**
 * A dependency the run needs only after the audit, as a loader: the handler passes the CloudWatch,
 * SNS and SSM clients this way so that loading their SDK packages is not part of the cold start.
 * Each run calls it when it starts and awaits it when the dependency is first used, so the loading
 * overlaps the audit's network waits. The loader keeps what it built for later runs; a loader that
 * rejects fails that dependency's step (metrics, alert, alert state), never the audit.
 */
export type DependencyLoader<T> = () => Promise<T>;

/** Every effect a run needs; built once per container. */
export interface AuditorDeps {
  readonly settings: Settings;
  readonly secrets: SecretSource;
  readonly cloudWatch: CloudWatchClient | DependencyLoader<CloudWatchClient>;
  readonly sns: SNSClient | DependencyLoader<SNSClient>;
  readonly stateStore: StateStore | DependencyLoader<StateStore>;
  /** HTTP dispatcher for OpenRouter and the Slack webhook (an undici Agent). */
  readonly dispatcher?: Dispatcher;
  readonly logger: JsonLogger;
  /** Shared by the container: every key and webhook URL read is registered with it. */
  readonly redactor: Redactor;
  readonly now: () => Date;
  /** Where the run's deadlines come from. @default real timers */
  readonly timers?: Timers;
}

/** The part of the Lambda context a run uses. */
export interface InvocationContext {
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** What a run did, without a key or a URL: logged as the run's summary line and returned by the handler. */
export interface RunSummary {
  readonly runId: string;
  readonly ok: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly checks: Readonly<Partial<Record<CheckId, CheckStatus>>>;
  /** Datums sent, or the SDK error name when PutMetricData failed. */
  readonly metrics: { readonly published: number } | { readonly failed: string };
  readonly alert:
    | {
        /** `none`, `started`, `problem`, `resolved` or `reminder`. */
        readonly kind: string;
        readonly snsDelivered: boolean | null;
        readonly slackDelivered: boolean | null;
        readonly stateSaved: boolean;
        /** Channels that failed this run (`sns`, `slack-webhook`, `state`). */
        readonly failedChannels: readonly string[];
      }
    | { readonly failed: string };
}

/**
 * - `ALERT_NOT_DELIVERED`: an alert was due and SNS did not take it (or alerting crashed).
 * - `METRICS_AND_ALERTING_FAILED`: PutMetricData failed and alerting reported a failure too
 *   (a channel, or the alert state could not be read or saved).
 */
export type AuditorErrorCode = 'ALERT_NOT_DELIVERED' | 'METRICS_AND_ALERTING_FAILED';

/**
 * Ends the invocation in error so that the Lambda `Errors` alarm fires. Fixed messages; the run's
 * summary line in the log has the details.
 */
export class AuditorError extends Error {
  override readonly name = 'AuditorError';
  constructor(
    readonly code: AuditorErrorCode,
    readonly summary: RunSummary,
  ) {
    super(
      code === 'ALERT_NOT_DELIVERED'
        ? 'An alert was due and SNS could not deliver it.'
        : 'Neither the metrics nor the alert could be published.',
    );
  }
}

/** What one alarm-forwarding invocation did (logged and returned by the handler). */
export interface ForwardSummary extends ForwardOutcome {
  readonly runId: string;
  /** Whether AlertDeliveryFailures was published for the failed forwards (null: none failed). */
  readonly failureMetricPublished: boolean | null;
}

export interface Auditor {
  /** Runs one audit. Rejects only with AuditorError (or a bug). */
  run(context: InvocationContext): Promise<RunSummary>;
  /**
   * Forwards the CloudWatch alarm notifications of an SNS event (the function is subscribed to the
   * alert topic) to the Slack webhook. Never rejects: a failure is logged and counted in
   * AlertDeliveryFailures{Channel=slack-webhook}, whose alarm shows it.
   */
  forwardAlarms(event: SnsEventLike, context: InvocationContext): Promise<ForwardSummary>;
}

/** Where the key-age check's fallback creation date comes from. */
export const SECRET_DATE_SOURCE = 'the API key secret (the date its current value was stored)';

/** Reading secrets gets at most this long, and at most a third of the time left. */
const SECRETS_BUDGET_MS = 10_000;
/** Node timers take at most 2^31-1 ms. */
const MAX_TIMER_MS = 2_147_483_647;
/**
 * Kept free at the very end: every AWS call, the Slack post and the state save are aborted this
 * long before the function's timeout, leaving time to log the summary and for the runtime to return.
 */
export const FINAL_MARGIN_MS = 1_000;
/** A hung state read gets at most this share of the publishing window: SNS and the save need the rest. */
const STATE_READ_SHARE = 1 / 3;

export function createAuditor(deps: AuditorDeps): Auditor {
  const { settings } = deps;
  return {
    async forwardAlarms(event, context) {
      const logger = deps.logger.child({ runId: context.awsRequestId, kind: 'alarm-forwarding' });
      const signal = AbortSignal.timeout(
        clamp(context.getRemainingTimeInMillis() - FINAL_MARGIN_MS, 100, MAX_TIMER_MS),
      );
      const webhook =
        settings.slackWebhookSecretId === undefined
          ? undefined
          : await loadSlackWebhookUrl(deps.secrets, settings.slackWebhookSecretId, { signal });
      deps.redactor.add(webhook?.url);
      if (webhook?.problem !== undefined) {
        logger.warn('Slack webhook URL unavailable', { problem: webhook.problem });
      }
      const outcome = await forwardAlarms(event, {
        slackWebhookUrl: webhook?.url,
        environmentName: settings.environmentName,
        dashboardUrl: settings.dashboardUrl,
        redactor: deps.redactor,
        logger,
        ...(deps.dispatcher === undefined ? {} : { dispatcher: deps.dispatcher }),
        signal,
      });
      let failureMetricPublished: boolean | null = null;
      if (outcome.failed.length > 0) {
        try {
          const datums = buildAlertFailureDatums({ 'slack-webhook': outcome.failed.length }, deps.now());
          const input = toPutMetricDataInputs(settings.metricNamespace, datums);
          await publishMetrics(await begin(deps.cloudWatch), input, { signal });
          failureMetricPublished = true;
        } catch (error) {
          failureMetricPublished = false;
          logger.error('alert delivery failures not published', { error: errorName(error) });
        }
      }
      const summary: ForwardSummary = { runId: context.awsRequestId, ...outcome, failureMetricPublished };
      logger.info('alarm forwarding finished', { ...summary });
      return summary;
    },

    async run(context) {
      const logger = deps.logger.child({ runId: context.awsRequestId });
      const timers = deps.timers ?? realTimers;
      const auditBudget = () => context.getRemainingTimeInMillis() - settings.publishReserveMs;
      // Started first, awaited after the audit: loading these overlaps the secret and API waits.
      const cloudWatch = begin(deps.cloudWatch);
      const sns = begin(deps.sns);
      const stateStore = deferredStateStore(begin(deps.stateStore));

      const secretsSignal = timers.signalAfter(clamp(auditBudget() / 3, 500, SECRETS_BUDGET_MS));
      const [keys, webhook] = await Promise.all([
        loadKeys(
          deps.secrets,
          {
            apiKeySecretId: settings.apiKeySecretId,
            ...(settings.managementKeySecretId === undefined
              ? {}
              : { managementKeySecretId: settings.managementKeySecretId }),
          },
          { signal: secretsSignal },
        ),
        settings.slackWebhookSecretId === undefined
          ? undefined
          : loadSlackWebhookUrl(deps.secrets, settings.slackWebhookSecretId, { signal: secretsSignal }),
      ]);
      registerSecrets(deps.redactor, keys, webhook);
      reportKeyProblems(logger, keys, webhook);

      const auditMs = clamp(auditBudget(), 1, MAX_TIMER_MS);
      const result = await audit(deps, keys, logger, auditMs, timers.signalAfter(auditMs));
      for (const check of result.checks) {
        logger.info('check', {
          check: check.id,
          status: check.status,
          summary: check.summary,
          durationMs: check.durationMs,
          values: check.values,
        });
      }

      const publishMs = clamp(context.getRemainingTimeInMillis() - FINAL_MARGIN_MS, 100, MAX_TIMER_MS);
      const publishSignal = timers.signalAfter(publishMs);
      const stateReadSignal = timers.signalAfter(clamp(publishMs * STATE_READ_SHARE, 50, MAX_TIMER_MS));
      const metricsInput = buildMetricData(result, {
        namespace: settings.metricNamespace,
        timestamp: new Date(result.startedAt),
        probeModels: settings.auditConfig.models,
        metricSet: settings.metricSet,
      });
      // A client that failed to load fails its step as the client itself failing would: the
      // metrics are not published, or alerting fails (and counts as an undelivered alert).
      const [metrics, alerting] = await Promise.allSettled([
        cloudWatch.then((client) => publishMetrics(client, metricsInput, { signal: publishSignal, logger })),
        sns.then((client) =>
          runAlerting(
            result,
            {
              reminderHours: settings.reminderHours,
              environmentName: settings.environmentName,
              dashboardUrl: settings.dashboardUrl,
              deploymentId: settings.deploymentId,
              schedulePeriodMinutes: settings.schedulePeriodMinutes,
            },
            {
              stateStore,
              sns: { client, topicArn: settings.alertTopicArn },
              ...(webhook?.url === undefined ? {} : { slackWebhookUrl: webhook.url }),
              ...(webhook?.problem === undefined ? {} : { slackWebhookUnavailable: true }),
              ...(deps.dispatcher === undefined ? {} : { dispatcher: deps.dispatcher }),
              logger,
              now: deps.now,
              redactor: deps.redactor,
              signal: publishSignal,
              stateReadSignal,
            },
          ),
        ),
      ]);

      // After alerting, which saves the same state: the digest claims its day in what alerting wrote.
      const digest: DigestOutcome | { kind: 'failed-to-run' } =
        settings.digestHourUtc === undefined
          ? { kind: 'off' }
          : await sns
              .then((client) =>
                runDigest(
                  result,
                  {
                    digestHourUtc: settings.digestHourUtc,
                    environmentName: settings.environmentName,
                    dashboardUrl: settings.dashboardUrl,
                  },
                  {
                    stateStore,
                    sns: { client, topicArn: settings.alertTopicArn },
                    ...(webhook?.url === undefined ? {} : { slackWebhookUrl: webhook.url }),
                    ...(deps.dispatcher === undefined ? {} : { dispatcher: deps.dispatcher }),
                    logger,
                    now: deps.now,
                    redactor: deps.redactor,
                    signal: publishSignal,
                  },
                ),
              )
              .catch(() => ({ kind: 'failed-to-run' as const }));
      if (digest.kind !== 'off' && digest.kind !== 'not-yet')
        logger.info('daily digest', { digest: digest.kind });

      if (metrics.status === 'rejected')
        logger.error('metrics not published', { error: errorName(metrics.reason) });
      if (alerting.status === 'rejected')
        logger.error('alerting failed', { error: errorName(alerting.reason) });
      else if (alerting.value.failures.length > 0)
        logger.warn('alert delivery problems', { failures: alerting.value.failures });

      const failureDatums = buildAlertFailureDatums(
        deliveryFailures(alerting, webhook),
        new Date(result.startedAt),
      );
      if (failureDatums.length > 0) {
        try {
          const input = toPutMetricDataInputs(settings.metricNamespace, failureDatums);
          await publishMetrics(await cloudWatch, input, { signal: publishSignal, logger });
        } catch (error) {
          logger.error('alert delivery failures not published', { error: errorName(error) });
        }
      }

      const summary = summarize(context.awsRequestId, result, metrics, alerting);
      logger.info('audit finished', { ...summary });

      // An alerting crash is treated as an undelivered alert: the run cannot prove none was due.
      if (alerting.status === 'rejected' || alerting.value.snsDelivered === false) {
        logger.error('ending the invocation in error: an alert was due and SNS could not deliver it');
        throw new AuditorError('ALERT_NOT_DELIVERED', summary);
      }
      // Alerting counts as failed when any channel or the alert state (read or save) failed: with
      // the metrics down too, nothing reliable came out of this run.
      if (metrics.status === 'rejected' && alerting.value.failures.length > 0) {
        logger.error('ending the invocation in error: neither metrics nor alerting succeeded');
        throw new AuditorError('METRICS_AND_ALERTING_FAILED', summary);
      }
      return summary;
    },
  };
}

type AlertingOutcome = Awaited<ReturnType<typeof runAlerting>>;

/** A client or a store is never itself a function, so a function here is a loader. */
const isLoader = <T>(dependency: T | DependencyLoader<T>): dependency is DependencyLoader<T> =>
  typeof dependency === 'function';

/**
 * The dependency, calling the loader now when given one. A loader that throws or rejects gives a
 * rejected promise, marked handled here: it is awaited only after the audit, and an unhandled
 * rejection meanwhile would end the process.
 */
function begin<T>(dependency: T | DependencyLoader<T>): Promise<T> {
  const pending = isLoader(dependency)
    ? new Promise<T>((resolve) => resolve(dependency()))
    : Promise.resolve(dependency);
  pending.catch(() => {});
  return pending;
}

/**
 * The state store once loaded: a store that failed to load fails `load` and `save` as a store
 * that cannot reach SSM does, so alerting reports the state channel and still alerts.
 */
function deferredStateStore(store: Promise<StateStore>): StateStore {
  return {
    load: async (options) => (await store).load(options),
    save: async (state, options) => (await store).save(state, options),
  };
}

/** `AlertDeliveryFailures` per channel: SNS when it did not take a due alert, Slack when its post failed. */
function deliveryFailures(
  alerting: PromiseSettledResult<AlertingOutcome>,
  webhook: LoadedWebhookUrl | undefined,
): Partial<Record<DeliveryChannel, number>> {
  if (alerting.status === 'rejected') return { sns: 1 };
  const { snsDelivered, slackDelivered } = alerting.value;
  const alertDue = alerting.value.kind !== 'none';
  return {
    sns: snsDelivered === false ? 1 : 0,
    // A configured webhook whose URL could not be read missed the alert too.
    'slack-webhook': slackDelivered === false || (alertDue && webhook?.problem !== undefined) ? 1 : 0,
  };
}

function summarize(
  runId: string,
  result: AuditResult,
  metrics: PromiseSettledResult<number>,
  alerting: PromiseSettledResult<AlertingOutcome>,
): RunSummary {
  return {
    runId,
    ok: result.ok,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    checks: Object.fromEntries(result.checks.map((c) => [c.id, c.status])),
    metrics:
      metrics.status === 'fulfilled' ? { published: metrics.value } : { failed: errorName(metrics.reason) },
    alert:
      alerting.status === 'fulfilled'
        ? {
            kind: alerting.value.kind,
            snsDelivered: alerting.value.snsDelivered,
            slackDelivered: alerting.value.slackDelivered,
            stateSaved: alerting.value.stateSaved,
            failedChannels: [...new Set(alerting.value.failures.map((f) => f.channel))],
          }
        : { failed: errorName(alerting.reason) },
  };
}

async function audit(
  deps: AuditorDeps,
  keys: LoadedKeys,
  logger: JsonLogger,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<AuditResult> {
  const api = createOpenRouterClient({
    ...(deps.settings.baseUrl === undefined ? {} : { baseUrl: deps.settings.baseUrl }),
    ...(keys.apiKey === undefined ? {} : { apiKey: keys.apiKey }),
    ...(keys.managementKey === undefined ? {} : { managementKey: keys.managementKey }),
    ...(deps.dispatcher === undefined ? {} : { dispatcher: deps.dispatcher }),
    logger,
  });
  const auditDeps: AuditDeps = {
    api,
    now: deps.now,
    logger,
    ...(keys.apiKeyCreatedAt === undefined
      ? {}
      : { keyCreatedAt: { date: keys.apiKeyCreatedAt, source: SECRET_DATE_SOURCE } }),
    ...(keys.apiKeyProblem === undefined ? {} : { apiKeyProblem: keys.apiKeyProblem }),
    ...(keys.managementKeyProblem === undefined ? {} : { managementKeyProblem: keys.managementKeyProblem }),
  };
  // The engine enforces the deadline itself and turns a late check into an `error` result.
  return runAudit(deps.settings.auditConfig, auditDeps, { timeoutMs, signal });
}

function registerSecrets(redactor: Redactor, keys: LoadedKeys, webhook: LoadedWebhookUrl | undefined): void {
  redactor.add(keys.apiKey);
  redactor.add(keys.managementKey);
  redactor.add(webhook?.url);
}

function reportKeyProblems(
  logger: JsonLogger,
  keys: LoadedKeys,
  webhook: LoadedWebhookUrl | undefined,
): void {
  // The problems name the secret and never its value.
  if (keys.apiKeyProblem !== undefined) logger.error('API key unavailable', { problem: keys.apiKeyProblem });
  if (keys.managementKeyProblem !== undefined) {
    logger.warn('management key unavailable', { problem: keys.managementKeyProblem });
  }
  if (webhook?.problem !== undefined)
    logger.warn('Slack webhook URL unavailable', { problem: webhook.problem });
}

/** Our errors carry a `code`; a foreign one is reduced to its name (its message may quote request details). */
function errorName(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    if ('code' in error && typeof error.code === 'string' && /^[A-Z_]{1,64}$/.test(error.code)) {
      const sdk =
        'sdkErrorName' in error && typeof error.sdkErrorName === 'string' ? `: ${error.sdkErrorName}` : '';
      return `${error.code}${sdk}`;
    }
    if (error instanceof Error && /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(error.name)) return error.name;
  }
  return 'UnknownError';
}

/** Whole milliseconds within [min, max]: AbortSignal.timeout and timers reject fractions. */
const clamp = (value: number, min: number, max: number): number =>
  Math.floor(Math.min(max, Math.max(min, value)));

import { createHash } from 'node:crypto';
import { Annotations, Aws, Duration, Stack, type TimeZone, Token, Validations } from 'aws-cdk-lib';
import { LoggingLevel, SlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import type { Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import {
  ArnPrincipal,
  Effect,
  ManagedPolicy,
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import {
  ApplicationLogLevel,
  Architecture,
  CfnFunction,
  LoggingFormat,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { FilterOrPolicy, SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { ParameterTier, StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { DEFAULT_METRIC_NAMESPACE, type MetricSet } from '../lambda/aws/metric-catalog';
import type { AuditConfig, AuditConfigInput } from '../lambda/engine/config';
import { ENV } from '../lambda/settings-names';
import { AuditorAlarms } from './alarms';
import type { AuditorMetricContext } from './auditor-metrics';
import { AuditorDashboard } from './dashboard';
import {
  AUDITOR_NODE_OPTIONS,
  assertLocalEsbuild,
  auditorBundlePaths,
  auditorBundlingOptions,
} from './lambda-bundling';
import { AuditorPropsError } from './props-error';
import { DEFAULT_SCHEDULE, parseSchedule } from './schedule-expression';
import { type ResolvedSecret, resolveSecret, type SecretReference } from './secret-reference';
import {
  type SlackChannelSettings,
  validateAlarmNamePrefix,
  validateAlertEmails,
  validateAuditConfig,
  validateBaseUrl,
  validateDigestHourUtc,
  validateEnvironmentName,
  validateMemorySize,
  validateMetricNamespace,
  validateMetricSet,
  validateReminderHours,
  validateSlack,
  validateTimeout,
} from './validate-props';

export type { SecretReference } from './secret-reference';
export type { SlackChannelSettings } from './validate-props';

/** Properties of {@link OpenRouterAuditor}. Every value is validated at synth; a bad one throws naming it. */
export interface OpenRouterAuditorProps {
  /**
   * The audit configuration: the same schema as the CLI's `--config` file (lambda/engine/config.ts).
   * @default {} (every field at its default: one model "openai/gpt-4o-mini", probes on, ...)
   */
  readonly auditConfig?: AuditConfigInput;
  /**
   * When the audit runs: an EventBridge Scheduler `rate(...)` or `cron(...)` expression, 5 minutes to 1 day apart.
   * @default "rate(1 hour)"
   */
  readonly schedule?: string;
  /**
   * Minutes between runs, for cron schedules whose spacing cannot be inferred (e.g. weekdays only).
   * Sets the heartbeat alarm's period and the reminder bookkeeping.
   * @default - derived from `schedule`
   */
  readonly schedulePeriodMinutes?: number;
  /**
   * Time zone of a `cron(...)` schedule.
   * @default - UTC
   */
  readonly scheduleTimeZone?: TimeZone;
  /**
   * The secret holding the OpenRouter API key (the bare key, or JSON `{"apiKey": ..., "managementKey": ...}`):
   * an ISecret, a secret name, or an ARN. Only its id goes into the function's environment.
   */
  readonly apiKeySecret: SecretReference;
  /**
   * A separate secret holding only the management (provisioning) key, for the account-wide checks.
   * @default - none (those checks use the API key secret's `managementKey`, or skip)
   */
  readonly managementKeySecret?: SecretReference;
  /**
   * A secret holding a Slack incoming-webhook URL; alerts are also posted there, and so are the
   * alarms' notifications (see `forwardAlarmsToSlackWebhook`).
   * @default - no webhook
   */
  readonly slackWebhookSecret?: SecretReference;
  /**
   * Subscribe the function to the alert topic so that it posts CloudWatch alarm notifications to
   * the Slack webhook, worded like the audit's alerts. Without it, a stack whose only channel is
   * the webhook would never hear its own alarms (heartbeat, errors, delivery failures).
   * @default true when `slackWebhookSecret` is set
   */
  readonly forwardAlarmsToSlackWebhook?: boolean;
  /**
   * The customer managed KMS key that encrypts the secrets given by name or ARN (an ISecret brings
   * its own `encryptionKey`). The function gets `kms:Decrypt` on it through Secrets Manager only.
   * A key ARN or an IKey.
   * @default - the secrets use the AWS managed key aws/secretsmanager (no grant needed)
   */
  readonly secretsEncryptionKey?: IKey | string;
  /**
   * E-mail addresses subscribed to the alert topic (each must confirm the subscription e-mail).
   * @default - none
   */
  readonly alertEmails?: readonly string[];
  /**
   * Post alerts and alarms to a Slack channel through AWS Chatbot (Amazon Q Developer in chat
   * applications). The workspace must be authorized once in the Chatbot console first.
   * @default - no Chatbot channel
   */
  readonly slack?: SlackChannelSettings;
  /**
   * CloudWatch namespace of the auditor's metrics.
   * @default "OpenRouter/Audit"
   */
  readonly metricNamespace?: string;
  /**
   * Which metrics the function publishes: `essential` (AuditCompleted and AlertDeliveryFailures,
   * what the alarms read; the dashboard shows the checks from the JSON logs) or `full` (every
   * metric of lambda/aws/metric-catalog.ts, graphed on the dashboard; about $0.30 per metric-month).
   * @default "essential"
   */
  readonly metricSet?: MetricSet;
  /**
   * Start of every alarm name and of the dashboard name, so that a notification says which
   * deployment broke. Letters, digits, "-" and "_".
   * @default - `OpenRouterAudit-<environmentName>`, or the stack name without an environmentName
   */
  readonly alarmNamePrefix?: string;
  /**
   * Hours between reminders while a check keeps failing.
   * @default 24
   */
  readonly reminderHours?: number;
  /**
   * UTC hour (0–23) of the daily digest: from the first run at or after it, once a day, one message
   * with every check, credits, runway, spend against budget and what changed since yesterday.
   * @default - no digest
   */
  readonly digestHourUtc?: number;
  /**
   * Short name put in alert subjects and the dashboard title, e.g. "prod".
   * @default - none
   */
  readonly environmentName?: string;
  /**
   * Customer managed KMS key to encrypt the alert topic. Its key policy is extended so that
   * CloudWatch alarms can still publish (an imported key's policy must allow that itself).
   * @default - no encryption at rest (TLS is always enforced)
   */
  readonly topicEncryptionKey?: IKey;
  /**
   * OpenRouter API base URL (https).
   * @default - the handler's default, https://openrouter.ai/api/v1
   */
  readonly openRouterBaseUrl?: string;
  /**
   * Retention of the function's log group.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Memory of the function in MB (more memory is also more CPU).
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Timeout of the function. The audit's deadline is derived from the remaining time, keeping a few
   * seconds for publishing metrics and alerts.
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;
}

/** Minutes a late scheduled run may still start; beyond that it is dropped and the next run audits. */
const MAX_EVENT_AGE_MINUTES = 15;
/** Delivery retries by EventBridge Scheduler (target unavailable or throttled), never function errors. */
const SCHEDULER_RETRY_ATTEMPTS = 2;

/**
 * Runs the OpenRouter audit on a schedule in a Lambda function that reads its keys from Secrets
 * Manager, publishes CloudWatch metrics, and alerts through SNS (e-mail, Slack via AWS Chatbot, or a
 * Slack webhook, which also hears the alarms); adds a dashboard and named alarms (heartbeat, errors,
 * throttles, alert delivery, undelivered scheduled runs) that can publish to the topic, with
 * least-privilege IAM.
 */
export class OpenRouterAuditor extends Construct {
  /** The validated audit config passed to the function. */
  readonly config: AuditConfig;
  readonly metricNamespace: string;
  /** Minutes between scheduled runs. */
  readonly schedulePeriodMinutes: number;
  readonly function: NodejsFunction;
  /** The function's own role: logs, its secrets, its metrics namespace, the topic, the state parameter. */
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** Where alerts and alarm notifications go. */
  readonly topic: Topic;
  /** The alert state between runs (what was failing, when it was last alerted). */
  readonly stateParameter: StringParameter;
  readonly schedule: Schedule;
  readonly alarms: AuditorAlarms;
  /** Where EventBridge Scheduler puts a run it could not deliver (alarmed). */
  readonly scheduleDeadLetterQueue: Queue;
  readonly dashboard: Dashboard;
  /** The dashboard's name: the alarm prefix and the region (dashboard names are account-wide). */
  readonly dashboardName: string;
  /** The metrics the function publishes. */
  readonly metricSet: MetricSet;
  /** Whether the function forwards alarm notifications to the Slack webhook. */
  readonly forwardsAlarmsToSlackWebhook: boolean;
  /** Console link to the dashboard (it carries a region token). */
  readonly dashboardUrl: string;
  readonly slackChannel?: SlackChannelConfiguration;
  /** The secrets the function reads. */
  readonly secrets: {
    readonly apiKey: ISecret;
    readonly managementKey?: ISecret;
    readonly slackWebhook?: ISecret;
  };

  constructor(scope: Construct, id: string, props: OpenRouterAuditorProps) {
    super(scope, id);

    // Validate everything before creating anything, so a bad prop fails fast with its name.
    this.config = validateAuditConfig(props.auditConfig ?? {});
    const schedule = parseSchedule(props.schedule ?? DEFAULT_SCHEDULE, props.schedulePeriodMinutes);
    if (props.scheduleTimeZone !== undefined && schedule.kind !== 'cron') {
      throw new AuditorPropsError('scheduleTimeZone', 'only applies to cron(...) schedules');
    }
    this.schedulePeriodMinutes = schedule.periodMinutes;
    this.metricNamespace = validateMetricNamespace(props.metricNamespace ?? DEFAULT_METRIC_NAMESPACE);
    const alertEmails = validateAlertEmails(props.alertEmails ?? []);
    const environmentName =
      props.environmentName === undefined ? undefined : validateEnvironmentName(props.environmentName);
    const reminderHours = validateReminderHours(props.reminderHours ?? 24);
    const digestHourUtc =
      props.digestHourUtc === undefined ? undefined : validateDigestHourUtc(props.digestHourUtc);
    const baseUrl =
      props.openRouterBaseUrl === undefined ? undefined : validateBaseUrl(props.openRouterBaseUrl);
    const memorySize = validateMemorySize(props.memorySize ?? 256);
    const timeout = validateTimeout(props.timeout ?? Duration.seconds(60), this.config);
    const slack = props.slack === undefined ? undefined : validateSlack(props.slack);
    this.metricSet = validateMetricSet(props.metricSet ?? 'essential');
    const namePrefix = validateAlarmNamePrefix(
      props.alarmNamePrefix ??
        (environmentName === undefined
          ? Stack.of(this).stackName
          : `OpenRouterAudit-${environmentName.replace(/[^A-Za-z0-9_-]+/g, '-')}`),
    );
    const apiKey = resolveSecret(this, 'ApiKeySecret', props.apiKeySecret, 'apiKeySecret');
    const managementKey =
      props.managementKeySecret === undefined
        ? undefined
        : resolveSecret(this, 'ManagementKeySecret', props.managementKeySecret, 'managementKeySecret');
    const slackWebhook =
      props.slackWebhookSecret === undefined
        ? undefined
        : resolveSecret(this, 'SlackWebhookSecret', props.slackWebhookSecret, 'slackWebhookSecret');
    const secretsKey = this.resolveSecretsKey(props.secretsEncryptionKey);
    const secrets = [apiKey, managementKey, slackWebhook]
      .filter((s): s is ResolvedSecret => s !== undefined)
      .map((s) =>
        s.encryptionKey === undefined && secretsKey !== undefined ? { ...s, encryptionKey: secretsKey } : s,
      );
    if (props.forwardAlarmsToSlackWebhook === true && slackWebhook === undefined) {
      throw new AuditorPropsError(
        'forwardAlarmsToSlackWebhook',
        'needs slackWebhookSecret (the webhook the alarms are forwarded to)',
      );
    }
    this.forwardsAlarmsToSlackWebhook =
      slackWebhook !== undefined && (props.forwardAlarmsToSlackWebhook ?? true);
    this.secrets = {
      apiKey: apiKey.secret,
      ...(managementKey === undefined ? {} : { managementKey: managementKey.secret }),
      ...(slackWebhook === undefined ? {} : { slackWebhook: slackWebhook.secret }),
    };
    assertLocalEsbuild();

    const metrics: AuditorMetricContext = {
      namespace: this.metricNamespace,
      periodMinutes: this.schedulePeriodMinutes,
    };
    // Dashboard names are global to the account (alarm names are per region): the region goes in.
    const dashboardName = `${namePrefix}-${Stack.of(this).region}`;
    this.dashboardName = dashboardName;
    this.dashboardUrl = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards/dashboard/${dashboardName}`;

    this.topic = new Topic(this, 'AlertTopic', {
      displayName:
        environmentName === undefined ? 'OpenRouter audit' : `OpenRouter audit (${environmentName})`,
      enforceSSL: true,
      ...(props.topicEncryptionKey === undefined ? {} : { masterKey: props.topicEncryptionKey }),
    });
    for (const email of alertEmails) this.topic.addSubscription(new EmailSubscription(email));
    if (alertEmails.length === 0 && slack === undefined && slackWebhook === undefined) {
      Annotations.of(this).addWarningV2(
        'openrouter-auditor:no-alert-recipient',
        'No alertEmails, slack or slackWebhookSecret: alerts and alarms reach nobody until you subscribe to the alert topic.',
      );
    } else if (alertEmails.length === 0 && slack === undefined && !this.forwardsAlarmsToSlackWebhook) {
      Annotations.of(this).addWarningV2(
        'openrouter-auditor:alarms-unheard',
        'Only a Slack webhook and forwardAlarmsToSlackWebhook is false: the alarms notify a topic nobody subscribes to.',
      );
    }
    this.allowAlarmsToPublish();
    if (props.topicEncryptionKey === undefined) {
      Validations.of(this.topic).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason:
          'Alerts carry check summaries and remedies, never a key; TLS is enforced by the topic policy. ' +
          'Encryption at rest is available through the topicEncryptionKey prop.',
      });
    } else {
      this.allowAlarmsToUseKey(props.topicEncryptionKey);
    }

    this.stateParameter = new StringParameter(this, 'AlertState', {
      description:
        'OpenRouter auditor alert state (written by the function): which checks are failing and when they were last alerted. ' +
        'Reset to {} to start over.',
      stringValue: '{}',
      tier: ParameterTier.STANDARD,
    });

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    this.role = new Role(this, 'FunctionRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description:
        'OpenRouter auditor function: its logs, its secrets, its metrics namespace, its topic and state parameter',
    });

    const maxEventAge = Duration.minutes(
      Math.max(1, Math.min(MAX_EVENT_AGE_MINUTES, Math.floor(this.schedulePeriodMinutes / 2))),
    );
    const environment: Record<string, string> = {
      [ENV.apiKeySecretId]: apiKey.secretId,
      ...(managementKey === undefined ? {} : { [ENV.managementKeySecretId]: managementKey.secretId }),
      ...(slackWebhook === undefined ? {} : { [ENV.slackWebhookSecretId]: slackWebhook.secretId }),
      ...(baseUrl === undefined ? {} : { [ENV.baseUrl]: baseUrl }),
      [ENV.alertTopicArn]: this.topic.topicArn,
      [ENV.metricNamespace]: this.metricNamespace,
      [ENV.auditConfig]: JSON.stringify(this.config),
      [ENV.schedulePeriodMinutes]: String(this.schedulePeriodMinutes),
      [ENV.reminderHours]: String(reminderHours),
      ...(digestHourUtc === undefined ? {} : { [ENV.digestHourUtc]: String(digestHourUtc) }),
      ...(environmentName === undefined ? {} : { [ENV.environmentName]: environmentName }),
      [ENV.dashboardUrl]: this.dashboardUrl,
      [ENV.stateParameterName]: this.stateParameter.parameterName,
      [ENV.metricSet]: this.metricSet,
      NODE_OPTIONS: AUDITOR_NODE_OPTIONS,
    };
    // A new id on every deploy that changes what the auditor does or whom it tells: the first run
    // after such a deploy sends "monitoring started", proving the alert path.
    environment[ENV.deploymentId] = this.deploymentId({
      environment,
      schedule: schedule.expression,
      alertEmails,
      slack: slack ?? null,
    });

    this.function = new NodejsFunction(this, 'Function', {
      ...auditorBundlePaths(),
      handler: 'handler',
      bundling: auditorBundlingOptions(),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      description: 'OpenRouter auditor: audits the OpenRouter integration, publishes metrics and alerts',
      environment,
      // A failed run is not retried: the next scheduled run audits afresh, so runs never pile up.
      retryAttempts: 0,
      maxEventAge,
    });

    this.grantLeastPrivilege(secrets, props.topicEncryptionKey);
    this.allowFunctionToPublish();
    if (this.forwardsAlarmsToSlackWebhook) {
      // Only CloudWatch alarm notifications (their JSON has NewStateValue); the audit's own alerts,
      // published to the same topic, are filtered out by SNS so the function never hears itself.
      this.topic.addSubscription(
        new LambdaSubscription(this.function, {
          filterPolicyWithMessageBody: {
            NewStateValue: FilterOrPolicy.filter(
              SubscriptionFilter.stringFilter({ allowlist: ['ALARM', 'OK', 'INSUFFICIENT_DATA'] }),
            ),
          },
        }),
      );
    }

    this.scheduleDeadLetterQueue = new Queue(this, 'ScheduleDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.scheduleDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the EventBridge Scheduler target.',
    });
    this.schedule = this.createSchedule(
      schedule.expression,
      schedule.kind === 'cron' ? props.scheduleTimeZone : undefined,
      maxEventAge,
    );

    this.alarms = new AuditorAlarms(this, 'Alarms', {
      function: this.function,
      topic: this.topic,
      metrics,
      namePrefix,
      scheduleDeadLetterQueue: this.scheduleDeadLetterQueue,
    });
    this.dashboard = new AuditorDashboard(this, 'Dashboard', {
      dashboardName,
      metrics,
      metricSet: this.metricSet,
      config: this.config,
      function: this.function,
      logGroup: this.logGroup,
      alarms: this.alarms.all,
      ...(environmentName === undefined ? {} : { environmentName }),
    }).dashboard;

    if (slack !== undefined) this.slackChannel = this.createSlackChannel(slack, namePrefix);
  }

  private createSlackChannel(slack: SlackChannelSettings, namePrefix: string): SlackChannelConfiguration {
    // Guardrails only cap what the channel role may do; the role itself needs read access to
    // CloudWatch for the charts in alarm notifications (the console's "Notification permissions").
    const role = new Role(this, 'SlackChannelRole', {
      assumedBy: new ServicePrincipal('chatbot.amazonaws.com'),
      description:
        'AWS Chatbot channel of the OpenRouter auditor: reads CloudWatch to chart alarm notifications',
      inlinePolicies: {
        NotificationCharts: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'ReadCloudWatchForCharts',
              actions: ['cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*'],
              resources: ['*'],
            }),
          ],
        }),
      },
    });
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Action::cloudwatch:Describe*]',
        reason: "AWS Chatbot's notification-permissions template: read-only CloudWatch for alarm charts.",
      },
      {
        id: 'AwsSolutions-IAM5[Action::cloudwatch:Get*]',
        reason: "AWS Chatbot's notification-permissions template: read-only CloudWatch for alarm charts.",
      },
      {
        id: 'AwsSolutions-IAM5[Action::cloudwatch:List*]',
        reason: "AWS Chatbot's notification-permissions template: read-only CloudWatch for alarm charts.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'CloudWatch alarm and metric reads for charts have no narrower resource that covers every alarm.',
      },
    );
    // Chatbot channel configurations are global to the account, like dashboards: the region goes in.
    const region = Stack.of(this).region;
    const configurationName = slack.configurationName ?? `${namePrefix}-${region}`;
    const nagName =
      slack.configurationName ?? `${namePrefix}-${Token.isUnresolved(region) ? '<AWS::Region>' : region}`;
    // Chatbot logs to /aws/chatbot/NAME in us-east-1 whatever the stack's region; CDK sets its
    // retention through a custom resource, whose role here may touch that log group and nothing else.
    const chatbotLogGroupArn = `arn:${Aws.PARTITION}:logs:us-east-1:${Aws.ACCOUNT_ID}:log-group:/aws/chatbot/${configurationName}`;
    const logRetentionRole = new Role(this, 'SlackChannelLogRetentionRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: "Sets the retention of the OpenRouter auditor's Chatbot log group",
      inlinePolicies: {
        ChatbotLogRetention: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'SetChatbotLogRetention',
              actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy'],
              resources: [chatbotLogGroupArn, `${chatbotLogGroupArn}:*`],
            }),
          ],
        }),
      },
    });
    Validations.of(logRetentionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:us-east-1:<AWS::AccountId>:log-group:/aws/chatbot/${nagName}:*]`,
      reason: 'The log streams of the one Chatbot log group of this channel.',
    });
    const channel = new SlackChannelConfiguration(this, 'SlackChannel', {
      slackChannelConfigurationName: configurationName,
      slackWorkspaceId: slack.workspaceId,
      slackChannelId: slack.channelId,
      notificationTopics: [this.topic],
      role,
      loggingLevel: LoggingLevel.ERROR,
      logRetention: RetentionDays.ONE_MONTH,
      // Immutable, so that the custom resource cannot widen it with its default "*" statement.
      logRetentionRole: logRetentionRole.withoutPolicyUpdates(),
      // Without guardrails a channel member could act with AdministratorAccess; this channel only
      // receives notifications, so read-only CloudWatch (to render alarm charts) is the ceiling.
      guardrailPolicies: [ManagedPolicy.fromAwsManagedPolicyName('CloudWatchReadOnlyAccess')],
    });
    return channel;
  }

  /** A key ARN becomes an imported key; the function's grant is all it needs (a key policy delegating to IAM). */
  private resolveSecretsKey(key: IKey | string | undefined): IKey | undefined {
    if (key === undefined || typeof key !== 'string') return key;
    const arn = key.trim();
    if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]{1,128}$/.test(arn)) {
      throw new AuditorPropsError(
        'secretsEncryptionKey',
        'must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID) or an IKey; aliases are not accepted',
      );
    }
    return Key.fromKeyArn(this, 'SecretsEncryptionKey', arn);
  }

  /**
   * A topic policy replaces SNS's default one, which let the account's principals and services
   * publish: CloudWatch alarms publish as cloudwatch.amazonaws.com and need their own grant,
   * scoped to this account's alarms (confused-deputy protection).
   */
  private allowAlarmsToPublish(): void {
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowThisAccountsAlarmsToPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': this.alarmArnPattern() },
        },
      }),
    );
  }

  /** The function's role publishes through its identity policy; the topic policy says so too, explicitly. */
  private allowFunctionToPublish(): void {
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowAuditorFunctionToPublish',
        effect: Effect.ALLOW,
        principals: [new ArnPrincipal(this.role.roleArn)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
      }),
    );
  }

  private alarmArnPattern(): string {
    return `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`;
  }

  private grantLeastPrivilege(secrets: readonly ResolvedSecret[], topicKey: IKey | undefined): void {
    const statements = [
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
      new PolicyStatement({
        sid: 'ReadAuditorSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: secrets.map((s) => s.policyArn),
      }),
      new PolicyStatement({
        sid: 'PublishAuditMetrics',
        actions: ['cloudwatch:PutMetricData'],
        // PutMetricData has no resource-level permissions; the namespace condition is the scope.
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': this.metricNamespace } },
      }),
      new PolicyStatement({
        sid: 'PublishAlerts',
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
      }),
      new PolicyStatement({
        sid: 'ReadWriteAlertState',
        actions: ['ssm:GetParameter', 'ssm:PutParameter'],
        resources: [this.stateParameter.parameterArn],
      }),
    ];
    const secretKeys = [
      ...new Set(secrets.flatMap((s) => (s.encryptionKey === undefined ? [] : [s.encryptionKey]))),
    ];
    if (secretKeys.length > 0) {
      statements.push(
        new PolicyStatement({
          sid: 'DecryptSecretsViaSecretsManager',
          actions: ['kms:Decrypt'],
          resources: secretKeys.map((key) => key.keyArn),
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
        }),
      );
    }
    if (topicKey !== undefined) {
      statements.push(
        new PolicyStatement({
          sid: 'EncryptAlerts',
          // What SNS needs from a publisher to an encrypted topic, without the GenerateDataKey* wildcard.
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [topicKey.keyArn],
        }),
      );
    }
    for (const statement of statements) this.role.addToPrincipalPolicy(statement);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only cloudwatch:PutMetricData, which has no resource-level permissions; it is limited by a ' +
        'StringEquals cloudwatch:namespace condition to the auditor namespace.',
    });
  }

  private createSchedule(
    expression: string,
    timeZone: TimeZone | undefined,
    maxEventAge: Duration,
  ): Schedule {
    const stack = Stack.of(this);
    const role = new Role(this, 'SchedulerRole', {
      // Only schedules of this account's default group may assume it (confused-deputy protection).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Aws.ACCOUNT_ID,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
          },
        },
      }),
      description: 'EventBridge Scheduler: invoke the OpenRouter auditor function',
    });
    const schedule = new Schedule(this, 'Schedule', {
      schedule: ScheduleExpression.expression(expression, timeZone),
      description: 'Runs the OpenRouter audit',
      timeWindow: TimeWindow.off(),
      target: new LambdaInvoke(this.function, {
        role,
        retryAttempts: SCHEDULER_RETRY_ATTEMPTS,
        maxEventAge,
        deadLetterQueue: this.scheduleDeadLetterQueue,
      }),
    });
    const cfnFunction = this.function.node.defaultChild;
    if (!(cfnFunction instanceof CfnFunction))
      throw new Error('OpenRouterAuditor: the function has no CfnFunction');
    const functionLogicalId = stack.resolve(stack.getLogicalId(cfnFunction));
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${String(functionLogicalId)}.Arn>:*]`,
      reason:
        "The scheduler target's lambda:InvokeFunction grant (aws-scheduler-targets LambdaInvoke) covers this one " +
        'function and its versions and aliases (ARN:*); nothing else.',
    });
    return schedule;
  }

  private allowAlarmsToUseKey(key: IKey): void {
    const { statementAdded } = key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToOpenRouterAuditorTopic',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': this.alarmArnPattern() },
        },
      }),
    );
    if (!statementAdded) {
      Annotations.of(this).addWarningV2(
        'openrouter-auditor:imported-topic-key',
        'topicEncryptionKey is imported, so its key policy cannot be changed here: allow cloudwatch.amazonaws.com ' +
          'kms:Decrypt and kms:GenerateDataKey* on it, or the alarms cannot notify the topic.',
      );
    }
  }

  private deploymentId(settings: Record<string, unknown>): string {
    // Tokens (ARNs) resolve to their CloudFormation form, which is stable between synths.
    const text = JSON.stringify(Stack.of(this).resolve(settings));
    return createHash('sha256').update(text).digest('hex').slice(0, 16);
  }
}

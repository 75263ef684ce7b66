/**
 * Environment variables the CDK construct sets on the auditor Lambda and the handler reads once at
 * cold start. A public contract between lib/ and lambda/: add, never rename.
 */
export const ENV = {
  /** Secret (name or ARN) holding the API key: the bare key, or JSON {"apiKey", "managementKey"?}. Required. */
  apiKeySecretId: 'OPENROUTER_SECRET_ID',
  /** Optional secret (name or ARN) holding only the management key. */
  managementKeySecretId: 'OPENROUTER_MANAGEMENT_SECRET_ID',
  /** Optional secret (name or ARN) holding a Slack incoming-webhook URL. */
  slackWebhookSecretId: 'SLACK_WEBHOOK_SECRET_ID',
  /** Optional API base URL (default https://openrouter.ai/api/v1); the simulator's URL in tests. */
  baseUrl: 'OPENROUTER_BASE_URL',
  /** ARN of the SNS topic alerts go to. Required. */
  alertTopicArn: 'ALERT_TOPIC_ARN',
  /** CloudWatch namespace. @default "OpenRouter/Audit" */
  metricNamespace: 'METRIC_NAMESPACE',
  /** The audit config as JSON (same schema as the CLI's --config). @default "{}" */
  auditConfig: 'AUDIT_CONFIG',
  /** Minutes between scheduled runs (for reminders and state freshness). Required. */
  schedulePeriodMinutes: 'SCHEDULE_PERIOD_MINUTES',
  /** Hours between reminders while a check stays failing. @default 24 */
  reminderHours: 'REMINDER_HOURS',
  /** Short name put in alert subjects, e.g. "prod". @default "" */
  environmentName: 'ENVIRONMENT_NAME',
  /** Link to the CloudWatch dashboard, put in alerts. @default "" */
  dashboardUrl: 'DASHBOARD_URL',
  /** Name of the SSM String parameter that holds the alert state between runs. Required. */
  stateParameterName: 'AUDIT_STATE_PARAMETER',
  /** Changes on every deploy that changes the auditor's settings; a new value triggers "monitoring started". */
  deploymentId: 'AUDIT_DEPLOYMENT_ID',
  /** Milliseconds kept free before the Lambda timeout for publishing metrics and alerts. @default 5000 */
  publishReserveMs: 'PUBLISH_RESERVE_MS',
  /**
   * Which metrics to publish: `essential` (what the alarms read) or `full` (the whole catalog).
   * @default "full" (what a function deployed before the setting existed published)
   */
  metricSet: 'METRIC_SET',
  /** UTC hour (0–23) from which the daily digest goes out; unset = no digest. */
  digestHourUtc: 'DIGEST_HOUR_UTC',
} as const;

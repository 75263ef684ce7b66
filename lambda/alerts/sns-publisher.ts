import type { SNSClient } from '@aws-sdk/client-sns';
import { abortOptions, untilAborted } from '../aws/until-aborted';
import { AlertError, awsErrorName, awsHttpStatus } from './errors';
import type { RenderedAlert } from './render-alert';

/** The SNS topic alerts go to (e-mail subscribers and Amazon Q / Chatbot). */
export interface SnsAlertTarget {
  readonly client: SNSClient;
  readonly topicArn: string;
}

/**
 * Publishes a rendered alert with `MessageStructure: "json"`, so e-mail subscribers get the plain
 * text and Chatbot (protocol `https`) gets its custom notification.
 * @returns the SNS MessageId.
 * @throws AlertError `ALERT_DELIVERY_FAILED`, naming only the AWS error name (the SDK error is `cause`).
 */
export async function publishAlert(
  target: SnsAlertTarget,
  alert: Pick<RenderedAlert, 'subject' | 'snsMessage'>,
  options: { readonly signal?: AbortSignal } = {},
): Promise<string> {
  try {
    // Imported here, not at the top: the SDK package then loads while the Lambda audits, not at its
    // cold start (lambda/handler.ts). A failed load fails this call like a failed request.
    const { PublishCommand } = await import('@aws-sdk/client-sns');
    const out = await untilAborted(
      target.client.send(
        new PublishCommand({
          TopicArn: target.topicArn,
          Subject: alert.subject,
          Message: alert.snsMessage,
          MessageStructure: 'json',
        }),
        abortOptions(options.signal),
      ),
      options.signal,
    );
    return out.MessageId ?? '';
  } catch (cause) {
    const name = awsErrorName(cause);
    throw new AlertError('ALERT_DELIVERY_FAILED', `SNS Publish failed (${name}).`, {
      awsErrorName: name,
      status: awsHttpStatus(cause),
      cause,
    });
  }
}

import { AuthorizationErrorException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { AlertError } from '../../lambda/alerts/errors';
import { publishAlert } from '../../lambda/alerts/sns-publisher';

expect.extend(allCustomMatcher);

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:openrouter-audit-alerts';
const SDK_MESSAGE_CANARY = 'canary-sns-sdk-message';
const alert = {
  subject: '[OpenRouter audit] FAIL credits (prod)',
  snsMessage: JSON.stringify({ default: '{}', email: 'text', https: '{}' }),
};

const sns = mockClient(SNSClient);
const target = () => ({ client: new SNSClient({ region: 'eu-west-1' }), topicArn: TOPIC });

describe('publishAlert', () => {
  beforeEach(() => {
    sns.reset();
  });

  it('publishes the subject and the per-protocol JSON message', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });

    expect(await publishAlert(target(), alert)).toBe('m-1');
    expect(sns).toHaveReceivedCommandExactlyOnceWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: alert.subject,
      Message: alert.snsMessage,
      MessageStructure: 'json',
    });
  });

  it('wraps an SDK error once as ALERT_DELIVERY_FAILED, naming it without quoting it', async () => {
    sns
      .on(PublishCommand)
      .rejects(
        new AuthorizationErrorException({ message: SDK_MESSAGE_CANARY, $metadata: { httpStatusCode: 403 } }),
      );

    const error = await publishAlert(target(), alert).then(
      () => null,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(AlertError);
    expect(error).toMatchObject({
      code: 'ALERT_DELIVERY_FAILED',
      awsErrorName: 'AuthorizationErrorException',
      status: 403,
      message: 'SNS Publish failed (AuthorizationErrorException).',
    });
    expect(JSON.stringify(error)).not.toContain(SDK_MESSAGE_CANARY);
  });

  it('names a non-SDK failure "UnknownError"', async () => {
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error(SDK_MESSAGE_CANARY), { name: 'weird name with spaces' }));

    await expect(publishAlert(target(), alert)).rejects.toMatchObject({
      message: 'SNS Publish failed (UnknownError).',
    });
  });
});

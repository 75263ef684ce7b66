import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { OpenRouterAuditor } from '../../lib/openrouter-auditor';
import { buildAuditor, newApp } from './support';

// cdk-nag 3 runs as a policy validation plugin: app.synth() throws ValidationFailed listing every
// unacknowledged finding. CDK's built-in CloudFormation validation runs too, its violations as errors.

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

/** A secret the test creates for the auditor to read; rotating a third-party key is not Secrets Manager's job. */
function unrotatedSecret(stack: Stack): Secret {
  const secret = new Secret(stack, 'ApiKey', {
    encryptionKey: new Key(stack, 'SecretKey', { enableKeyRotation: true }),
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason: 'Holds an OpenRouter key, which Secrets Manager cannot rotate; the key-age check tracks its age.',
  });
  return secret;
}

/** The synth error's text, or '' when the synth passed. */
function synthFindings(synth: () => unknown): string {
  try {
    synth();
    return '';
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

// Each test synthesizes and bundles a full stack: CPU-bound work a loaded 2-core machine slows
// many times over. A generous limit, not a speed check (the bench measures speed).
describe('cdk-nag AwsSolutions and CloudFormation validation', { timeout: 300_000 }, () => {
  it('pass the auditor with customer managed keys, an ISecret, Slack and every optional secret', () => {
    const { app } = buildAuditor(
      (stack) => ({
        apiKeySecret: unrotatedSecret(stack),
        managementKeySecret:
          'arn:aws:secretsmanager:us-east-1:123456789012:secret:openrouter/management-AbC123',
        slackWebhookSecret: 'openrouter-auditor/slack-webhook',
        topicEncryptionKey: new Key(stack, 'TopicKey', { enableKeyRotation: true }),
        slack: { workspaceId: 'T0123ABCD', channelId: 'C0456EFGH' },
        alertEmails: ['oncall@example.com'],
        schedule: 'cron(0 6 * * ? *)',
      }),
      { validate: true },
    );
    expect(synthFindings(() => app.synth())).toBe('');
    // The largest stack (Chatbot with its log-retention helper, two keys): cdk-nag's WebAssembly
    // engine takes close to a minute on a loaded two-core machine, so a generous bound.
  }, 240_000);

  it('report a topic that allows publishing without TLS, so the check can fail', () => {
    const app = newApp({ validate: true });
    new Topic(new Stack(app, 'Bad'), 'PlainTopic');
    const findings = synthFindings(() => app.synth());
    expect(findings).toMatch(/ValidationFailed|Validation failed/);
    expect(findings).toContain('AwsSolutions-SNS3');
  });

  it("report a wildcard grant added to the auditor's role: the acknowledgements cover only their own findings", () => {
    const app = newApp({ validate: true });
    const stack = new Stack(app, 'Widened');
    const auditor = new OpenRouterAuditor(stack, 'Auditor', { apiKeySecret: 'openrouter-auditor/api-key' });
    auditor.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::some-bucket/*'] }),
    );
    const findings = synthFindings(() => app.synth());
    expect(findings).toContain('AwsSolutions-IAM5[Action::s3:*]');
    expect(findings).toContain('AwsSolutions-IAM5[Resource::arn:aws:s3:::some-bucket/*]');
    expect(findings).not.toContain('AwsSolutions-IAM5[Resource::*]');
  }, 120_000);
});

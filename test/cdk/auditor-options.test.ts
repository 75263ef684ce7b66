import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/settings-names';
import { asArray, buildAuditor, renderCfn, statementsOfRole, templateOf } from './support';

// The object-valued options in one synth: a secret with its own KMS key, an encrypted topic, Slack via Chatbot.
let template: Template;

beforeAll(() => {
  template = templateOf(
    buildAuditor((stack) => {
      const secretKey = new Key(stack, 'SecretKey', { enableKeyRotation: true });
      const topicKey = new Key(stack, 'TopicKey', { enableKeyRotation: true });
      return {
        apiKeySecret: new Secret(stack, 'ApiKey', { encryptionKey: secretKey }),
        topicEncryptionKey: topicKey,
        slack: { workspaceId: 'T0123ABCD', channelId: 'C0456EFGH', configurationName: 'openrouter-alerts' },
      };
    }),
  );
});

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

const functionStatements = () => statementsOfRole(template, 'AuditorFunctionRole');
const sid = (name: string) => functionStatements().find((s) => s.Sid === name);

describe('OpenRouterAuditor with an ISecret encrypted by a customer managed key', () => {
  it("passes the secret's ARN to the function and grants GetSecretValue on exactly it", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { [ENV.apiKeySecretId]: { Ref: Match.stringLikeRegexp('^ApiKey') } } },
    });
    expect(asArray(sid('ReadAuditorSecrets')?.Resource ?? []).map(renderCfn)).toEqual([
      expect.stringMatching(/^<Ref:ApiKey[0-9A-F]+>$/),
    ]);
  });

  it("grants kms:Decrypt on the secret's key only through Secrets Manager", () => {
    const decrypt = sid('DecryptSecretsViaSecretsManager');
    expect(decrypt?.Action).toBe('kms:Decrypt');
    expect(asArray(decrypt?.Resource ?? []).map(renderCfn)).toEqual([
      expect.stringMatching(/^<GetAtt:SecretKey[0-9A-F]+\.Arn>$/),
    ]);
    expect(renderCfn(JSON.parse(JSON.stringify(decrypt?.Condition)).StringEquals['kms:ViaService'])).toBe(
      'secretsmanager.<Ref:AWS::Region>.amazonaws.com',
    );
  });
});

describe('OpenRouterAuditor with an encrypted topic', () => {
  it('encrypts the topic with the given key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TopicKey'), 'Arn'] },
    });
  });

  it('lets CloudWatch alarms in this account use the key to publish', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('lets the function encrypt alerts with the key, without a wildcard action', () => {
    const encrypt = sid('EncryptAlerts');
    expect(asArray(encrypt?.Action ?? []).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(asArray(encrypt?.Resource ?? []).map(renderCfn)).toEqual([
      expect.stringMatching(/^<GetAtt:TopicKey[0-9A-F]+\.Arn>$/),
    ]);
  });

  it('keeps the TLS-only topic policy', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('OpenRouterAuditor with Slack through AWS Chatbot', () => {
  it('sends the topic to the Slack channel, logging errors, under a read-only guardrail', () => {
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      ConfigurationName: 'openrouter-alerts',
      SlackWorkspaceId: 'T0123ABCD',
      SlackChannelId: 'C0456EFGH',
      SnsTopicArns: [{ Ref: Match.stringLikeRegexp('^AuditorAlertTopic') }],
      LoggingLevel: 'ERROR',
      GuardrailPolicies: [
        {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/CloudWatchReadOnlyAccess']],
        },
      ],
    });
  });

  it('gives the Chatbot role read-only CloudWatch for charts, and nothing else', () => {
    const chatbot = Object.values(template.findResources('AWS::Chatbot::SlackChannelConfiguration'))[0];
    const roleId = String(chatbot?.Properties.IamRoleArn['Fn::GetAtt'][0]);
    const role = template.findResources('AWS::IAM::Role')[roleId];
    expect(role?.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      Service: 'chatbot.amazonaws.com',
    });
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = role?.Properties.Policies.flatMap(
      (policy: { PolicyDocument: { Statement: unknown[] } }) => policy.PolicyDocument.Statement,
    );
    expect(statements).toEqual([
      {
        Sid: 'ReadCloudWatchForCharts',
        Effect: 'Allow',
        Action: ['cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*'],
        Resource: '*',
      },
    ]);
    expect(statementsOfRole(template, roleId)).toEqual([]);
  });

  it("keeps Chatbot's log group one month, through a role limited to that log group", () => {
    template.hasResourceProperties('Custom::LogRetention', {
      LogGroupName: '/aws/chatbot/openrouter-alerts',
      RetentionInDays: 30,
      LogGroupRegion: 'us-east-1',
    });
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) =>
      id.startsWith('AuditorSlackChannelLogRetentionRole'),
    );
    expect(roles).toHaveLength(1);
    const [, role] = roles[0] ?? ['', {}];
    const statements = role.Properties.Policies[0].PolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(asArray(statements[0].Resource).map(renderCfn)).toEqual([
      'arn:<Ref:AWS::Partition>:logs:us-east-1:<Ref:AWS::AccountId>:log-group:/aws/chatbot/openrouter-alerts',
      'arn:<Ref:AWS::Partition>:logs:us-east-1:<Ref:AWS::AccountId>:log-group:/aws/chatbot/openrouter-alerts:*',
    ]);
  });
});

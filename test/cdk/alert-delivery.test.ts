import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/settings-names';
import type { OpenRouterAuditorProps } from '../../lib/openrouter-auditor';
import { isAllowed, type PolicyRequest } from './policy-evaluator';
import { buildAuditor, newApp, type PolicyStatementJson, renderCfn, templateOf } from './support';

/*
 * Every principal that must publish to the alert topic is allowed by the synthesized topic policy
 * (and, when the topic is encrypted, by the key policy), in each setup people deploy: no
 * recipient, e-mail, Slack webhook only, Slack through Chatbot, and an encrypted topic.
 */

const API_KEY = 'openrouter-auditor/api-key';
const SETUPS: Record<string, OpenRouterAuditorProps | ((stack: Stack) => OpenRouterAuditorProps)> = {
  default: { apiKeySecret: API_KEY },
  'e-mail': { apiKeySecret: API_KEY, alertEmails: ['oncall@example.com'] },
  'webhook-only': { apiKeySecret: API_KEY, slackWebhookSecret: 'team/slack-webhook' },
  Chatbot: { apiKeySecret: API_KEY, slack: { workspaceId: 'T0123ABCD', channelId: 'C0456EFGH' } },
  'encrypted topic, webhook-only': (stack) => ({
    apiKeySecret: API_KEY,
    slackWebhookSecret: 'team/slack-webhook',
    topicEncryptionKey: new Key(stack, 'TopicKey', { enableKeyRotation: true }),
  }),
};

const templates = new Map<string, Template>();

beforeAll(() => {
  for (const [name, props] of Object.entries(SETUPS)) templates.set(name, templateOf(buildAuditor(props)));
});

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

const template = (setup: string): Template => {
  const found = templates.get(setup);
  if (found === undefined) throw new Error(`no template for ${setup}`);
  return found;
};

const only = <T>(items: readonly T[], what: string): T => {
  expect(items, what).toHaveLength(1);
  const [item] = items;
  if (item === undefined) throw new Error(`no ${what}`);
  return item;
};

interface Delivery {
  readonly topicId: string;
  readonly topicPolicy: PolicyStatementJson[];
  readonly keyId?: string;
  readonly keyPolicy: PolicyStatementJson[];
  readonly functionRoleId: string;
  readonly alarmNames: string[];
}

function deliveryOf(t: Template): Delivery {
  const topicId = only(Object.keys(t.findResources('AWS::SNS::Topic')), 'topic');
  const topic = t.findResources('AWS::SNS::Topic')[topicId];
  const policies = Object.values(t.findResources('AWS::SNS::TopicPolicy')).filter((p) =>
    JSON.stringify(p.Properties.Topics).includes(`"${topicId}"`),
  );
  const topicPolicy = only(policies, 'topic policy').Properties.PolicyDocument.Statement;
  const keyRef = topic?.Properties.KmsMasterKeyId?.['Fn::GetAtt']?.[0];
  const keyId = typeof keyRef === 'string' ? keyRef : undefined;
  const keyPolicy =
    keyId === undefined ? [] : t.findResources('AWS::KMS::Key')[keyId]?.Properties.KeyPolicy.Statement;
  // The auditor, not CDK's log-retention function of the Chatbot setup.
  const fn = only(
    Object.values(t.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Environment?.Variables?.[ENV.apiKeySecretId] !== undefined,
    ),
    'auditor function',
  );
  const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
  for (const alarm of alarms) {
    expect(alarm.Properties.AlarmActions, renderCfn(alarm.Properties.AlarmName)).toEqual([{ Ref: topicId }]);
  }
  return {
    topicId,
    topicPolicy,
    ...(keyId === undefined ? {} : { keyId }),
    keyPolicy,
    functionRoleId: String(fn.Properties.Role['Fn::GetAtt'][0]),
    alarmNames: alarms.map((alarm) => renderCfn(alarm.Properties.AlarmName)),
  };
}

const ACCOUNT = '<Ref:AWS::AccountId>';
const alarmArn = (name: string, region = '<Ref:AWS::Region>', account = ACCOUNT) =>
  `arn:<Ref:AWS::Partition>:cloudwatch:${region}:${account}:alarm:${name}`;

function alarmPublish(
  d: Delivery,
  name: string,
  overrides: Partial<Record<string, string>> = {},
): PolicyRequest {
  return {
    principal: { kind: 'service', service: 'cloudwatch.amazonaws.com' },
    action: 'sns:Publish',
    resource: `<Ref:${d.topicId}>`,
    context: {
      'aws:SourceAccount': ACCOUNT,
      'aws:SourceArn': alarmArn(name),
      'aws:SecureTransport': 'true',
      ...overrides,
    } as Record<string, string>,
  };
}

const functionPublish = (d: Delivery): PolicyRequest => ({
  principal: { kind: 'role', roleLogicalId: d.functionRoleId },
  action: 'sns:Publish',
  resource: `<Ref:${d.topicId}>`,
  context: { 'aws:SecureTransport': 'true' },
});

describe.each(Object.keys(SETUPS))('alert delivery, %s setup', (setup) => {
  it('lets every alarm of the stack publish to the topic, and only from this account and region', () => {
    const t = template(setup);
    const d = deliveryOf(t);
    expect(d.alarmNames.length).toBe(6);
    for (const name of d.alarmNames) {
      expect(isAllowed(t, d.topicPolicy, alarmPublish(d, name)), name).toBe(true);
      expect(
        isAllowed(t, d.topicPolicy, alarmPublish(d, name, { 'aws:SourceAccount': '999999999999' })),
      ).toBe(false);
      expect(
        isAllowed(t, d.topicPolicy, alarmPublish(d, name, { 'aws:SourceArn': alarmArn(name, 'xx-other-1') })),
      ).toBe(false);
    }
  });

  it("lets the function's role publish its alerts, over TLS only", () => {
    const t = template(setup);
    const d = deliveryOf(t);
    expect(isAllowed(t, d.topicPolicy, functionPublish(d))).toBe(true);
    const plain = { ...functionPublish(d), context: { 'aws:SecureTransport': 'false' } };
    expect(isAllowed(t, d.topicPolicy, plain)).toBe(false);
  });

  it('lets every publisher use the topic key, when there is one', () => {
    const t = template(setup);
    const d = deliveryOf(t);
    if (d.keyId === undefined) {
      expect(setup).not.toContain('encrypted');
      return;
    }
    const keyArn = `<GetAtt:${d.keyId}.Arn>`;
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      for (const name of d.alarmNames) {
        const request = { ...alarmPublish(d, name), action, resource: keyArn };
        expect(isAllowed(t, d.keyPolicy, request, { kmsKeyPolicy: true }), `${action} ${name}`).toBe(true);
      }
      const fromFunction = { ...functionPublish(d), action, resource: keyArn };
      expect(isAllowed(t, d.keyPolicy, fromFunction, { kmsKeyPolicy: true }), action).toBe(true);
    }
  });
});

describe('the policy evaluator', () => {
  it('refuses the alarms on a TLS-only topic with no grant for CloudWatch (SNS default policy replaced)', () => {
    const stack = new Stack(newApp(), 'Plain');
    new Topic(stack, 'Topic', { enforceSSL: true });
    const t = Template.fromStack(stack);
    const topicId = only(Object.keys(t.findResources('AWS::SNS::Topic')), 'topic');
    const statements = only(Object.values(t.findResources('AWS::SNS::TopicPolicy')), 'policy').Properties
      .PolicyDocument.Statement;
    const request: PolicyRequest = {
      principal: { kind: 'service', service: 'cloudwatch.amazonaws.com' },
      action: 'sns:Publish',
      resource: `<Ref:${topicId}>`,
      context: {
        'aws:SourceAccount': ACCOUNT,
        'aws:SourceArn': alarmArn('x'),
        'aws:SecureTransport': 'true',
      },
    };
    expect(isAllowed(t, statements, request)).toBe(false);
  });
});

describe('webhook-only setup', () => {
  it('subscribes the function to the topic for alarm notifications, and lets SNS invoke it', () => {
    const t = template('webhook-only');
    const d = deliveryOf(t);
    t.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: d.topicId },
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: { NewStateValue: ['ALARM', 'OK', 'INSUFFICIENT_DATA'] },
    });
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: d.topicId },
    });
  });

  it.each(['default', 'e-mail', 'Chatbot'])('subscribes no function in the %s setup', (setup) => {
    template(setup).resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'lambda' }, 0);
  });
});

describe('Chatbot setup', () => {
  it('subscribes the channel to the topic under the read-only guardrail', () => {
    template('Chatbot').hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SnsTopicArns: [{ Ref: Match.stringLikeRegexp('^AuditorAlertTopic') }],
      GuardrailPolicies: [Match.objectLike({})],
    });
  });
});

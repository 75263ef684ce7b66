import { App, Stack } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditorPropsError } from '../../lib/props-error';
import { resolveSecret } from '../../lib/secret-reference';

const REGION_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret';
const newStack = () => new Stack(new App(), 'S');
const rendered = (stack: Stack, value: string) => JSON.stringify(stack.resolve(value));

// Every App makes a temporary output folder when it is created.
afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

describe('resolveSecret', () => {
  it('passes a name as is and grants it with the 6-character suffix wildcard', () => {
    const stack = newStack();
    const resolved = resolveSecret(stack, 'S', 'openrouter-auditor/api-key', 'apiKeySecret');
    expect(resolved.secretId).toBe('openrouter-auditor/api-key');
    expect(rendered(stack, resolved.policyArn)).toMatch(
      /:secret:openrouter-auditor\/api-key-\?\?\?\?\?\?"\]\]\}$/,
    );
    expect(resolved.secret.secretName).toBe('openrouter-auditor/api-key');
    expect(resolved.encryptionKey).toBeUndefined();
  });

  it('grants a complete ARN exactly', () => {
    const arn = `${REGION_ARN}:openrouter/api-key-AbC123`;
    const resolved = resolveSecret(newStack(), 'S', arn, 'apiKeySecret');
    expect(resolved).toMatchObject({ secretId: arn, policyArn: arn });
    expect(resolved.secret.secretFullArn).toBe(arn);
  });

  it('grants a partial ARN with the suffix wildcard', () => {
    const arn = `${REGION_ARN}:openrouter/api-key`;
    const resolved = resolveSecret(newStack(), 'S', arn, 'apiKeySecret');
    expect(resolved).toMatchObject({ secretId: arn, policyArn: `${arn}-??????` });
    expect(resolved.secret.secretFullArn).toBeUndefined();
  });

  it('grants a partial ARN whose name ends in "-" and five characters with the wildcard (the random suffix has six)', () => {
    const arn = `${REGION_ARN}:team/api-token`;
    const resolved = resolveSecret(newStack(), 'S', arn, 'apiKeySecret');
    expect(resolved).toMatchObject({ secretId: arn, policyArn: `${arn}-??????` });
    expect(resolved.secret.secretFullArn).toBeUndefined();
  });

  it("uses an ISecret's full ARN and its encryption key", () => {
    const stack = newStack();
    const secret = new Secret(stack, 'Secret');
    const resolved = resolveSecret(stack, 'S', secret, 'apiKeySecret');
    expect(resolved.secretId).toBe(secret.secretFullArn);
    expect(resolved.policyArn).toBe(secret.secretFullArn);
    expect(resolved.encryptionKey).toBe(secret.encryptionKey);
  });

  it('passes the name of an ISecret imported by name, which has no full ARN', () => {
    const stack = newStack();
    const secret = Secret.fromSecretNameV2(stack, 'Imported', 'team/key');
    const resolved = resolveSecret(stack, 'S', secret, 'apiKeySecret');
    expect(resolved.secretId).toBe('team/key');
    expect(rendered(stack, resolved.policyArn)).toMatch(/:secret:team\/key-\?\?\?\?\?\?"\]\]\}$/);
  });

  it.each([
    ['an empty name', ''],
    ['a name with spaces', 'open router'],
    ['a name too long', 'a'.repeat(513)],
    ['an ARN of another service', 'arn:aws:ssm:us-east-1:123456789012:parameter/key'],
  ])('rejects %s naming the field', (_case, value) => {
    expect(() => resolveSecret(newStack(), 'S', value, 'managementKeySecret')).toThrow(AuditorPropsError);
    expect(() => resolveSecret(newStack(), 'S', value, 'managementKeySecret')).toThrow(
      /managementKeySecret: /,
    );
  });
});

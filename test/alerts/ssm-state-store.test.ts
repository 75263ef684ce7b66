import {
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import type {} from 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { AlertError } from '../../lambda/alerts/errors';
import { SsmStateStore } from '../../lambda/alerts/ssm-state-store';
import { hangUntilAborted } from '../support/aws-mocks';
import { rejectionOf } from '../support/rejection';
import { storedState } from './fixtures';

expect.extend(allCustomMatcher);

const NAME = '/openrouter-auditor/prod/alert-state';
/** Text an SDK error carries: it must never reach our error message. */
const SDK_MESSAGE_CANARY = 'canary-ssm-sdk-message';

const ssm = mockClient(SSMClient);
const store = () =>
  new SsmStateStore({ client: new SSMClient({ region: 'us-east-1' }), parameterName: NAME });

const caught = (promise: Promise<unknown>) => rejectionOf(promise, AlertError);
const timeout = () => new DOMException('the deadline passed', 'TimeoutError');

describe('SsmStateStore', () => {
  beforeEach(() => {
    ssm.reset();
  });

  it.each([
    ['load', 'STATE_UNREADABLE', () => store().load({ signal: AbortSignal.abort(timeout()) })],
    [
      'save',
      'STATE_WRITE_FAILED',
      () => store().save(storedState(), { signal: AbortSignal.abort(timeout()) }),
    ],
  ] as const)('ends a hung %s when its signal aborts, as %s naming the timeout', async (_op, code, call) => {
    hangUntilAborted(ssm);
    const error = await caught(call());
    expect(error.code).toBe(code);
    expect(error.message).toContain('(TimeoutError)');
    const options = ssm.send.getCalls().map((c) => (c.args as readonly unknown[])[1]);
    expect(options).toEqual([{ abortSignal: expect.any(AbortSignal) }]);
  });

  it('writes a String parameter in the standard tier and reads the same state back', async () => {
    let stored = '';
    ssm.on(PutParameterCommand).callsFake((input: { Value?: string }) => {
      stored = input.Value ?? '';
      return { Version: 2, Tier: 'Standard' };
    });
    ssm
      .on(GetParameterCommand)
      .callsFake(() => ({ Parameter: { Name: NAME, Type: 'String', Value: stored } }));
    const state = storedState({ credits: { status: 'fail' } });

    await store().save(state);

    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: NAME,
      Type: 'String',
      Overwrite: true,
      Tier: 'Standard',
    });
    expect(await store().load()).toEqual(state);
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: NAME });
  });

  it.each(['{}', ''])('returns null when the parameter holds %j', async (value) => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Type: 'String', Value: value } });

    expect(await store().load()).toBeNull();
  });

  it('returns null when the parameter does not exist yet', async () => {
    ssm
      .on(GetParameterCommand)
      .rejects(new ParameterNotFound({ message: SDK_MESSAGE_CANARY, $metadata: {} }));

    expect(await store().load()).toBeNull();
  });

  it('throws STATE_CORRUPT for a value that is not a state', async () => {
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Name: NAME, Type: 'String', Value: '{"version":1,"checks":' } });

    expect((await caught(store().load())).code).toBe('STATE_CORRUPT');
  });

  it('throws STATE_UNREADABLE naming the AWS error, never its message', async () => {
    ssm.on(GetParameterCommand).rejects(
      new SSMServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: SDK_MESSAGE_CANARY,
        $metadata: { httpStatusCode: 400 },
      }),
    );

    const error = await caught(store().load());

    expect(error).toMatchObject({
      code: 'STATE_UNREADABLE',
      awsErrorName: 'AccessDeniedException',
      status: 400,
    });
    expect(error.message).not.toContain(SDK_MESSAGE_CANARY);
  });

  it('throws STATE_WRITE_FAILED when PutParameter fails', async () => {
    ssm.on(PutParameterCommand).rejects(
      new SSMServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: SDK_MESSAGE_CANARY,
        $metadata: {},
      }),
    );

    const error = await caught(store().save(storedState()));

    expect(error).toMatchObject({ code: 'STATE_WRITE_FAILED', awsErrorName: 'ThrottlingException' });
    expect(error.message).not.toContain(SDK_MESSAGE_CANARY);
  });

  it('refuses to write a state over 4 KB without calling SSM', async () => {
    const error = await caught(store().save(storedState({}, { deploymentId: 'x'.repeat(5000) })));

    expect(error.code).toBe('STATE_TOO_LARGE');
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });

  it('measures the 4 KB limit in UTF-8 bytes, not in characters', async () => {
    // SSM's limit is in bytes: a state of fewer than 4096 characters may still not fit.
    const base = JSON.stringify(storedState({}, { deploymentId: '' })).length;
    const state = storedState({}, { deploymentId: '\u00e9'.repeat(4096 - base - 100) });
    const text = JSON.stringify(state);
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(text, 'utf8')).toBeGreaterThan(4096);

    const error = await caught(store().save(state));

    expect(error.code).toBe('STATE_TOO_LARGE');
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });
});

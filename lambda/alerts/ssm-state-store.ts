import type { SSMClient } from '@aws-sdk/client-ssm';
import { abortOptions, untilAborted } from '../aws/until-aborted';
import {
  type AlertState,
  parseAlertState,
  type StateStore,
  type StateStoreCallOptions,
  serializeAlertState,
} from './alert-state';
import { AlertError, awsErrorName, awsHttpStatus, isAlertError } from './errors';

/*
 * Why one SSM Parameter Store String parameter holds the alert state:
 * - it is free: a standard parameter (≤ 4 KB, standard throughput) costs nothing, and one
 *   GetParameter plus one PutParameter per scheduled run is far below the free throughput;
 * - it survives cold starts and redeploys, and needs no server, table or bucket to run;
 * - least privilege is exact: `ssm:GetParameter` and `ssm:PutParameter` on ONE parameter ARN.
 * The alternative, rebuilding the state from the auditor's own CloudWatch metric history, needs
 * `cloudwatch:GetMetricData`, which has no resource-level permissions (the function could read
 * every metric in the account), is billed per metric read and outside the free tier, lags behind
 * PutMetricData by minutes, and cannot record when an alert was last sent (reminders).
 */

export interface SsmStateStoreOptions {
  readonly client: SSMClient;
  /** Name (or ARN) of the String parameter, created by the stack. */
  readonly parameterName: string;
}

/** A {@link StateStore} on one SSM String parameter (standard tier). */
export class SsmStateStore implements StateStore {
  readonly #client: SSMClient;
  readonly #name: string;

  constructor(options: SsmStateStoreOptions) {
    this.#client = options.client;
    this.#name = options.parameterName;
  }

  async load(options: StateStoreCallOptions = {}): Promise<AlertState | null> {
    let value: string | undefined;
    try {
      // Imported here, not at the top: the SDK package then loads while the Lambda audits, not at its
      // cold start (lambda/handler.ts). A failed load fails this call like a failed request.
      const { GetParameterCommand } = await import('@aws-sdk/client-ssm');
      const out = await untilAborted(
        this.#client.send(new GetParameterCommand({ Name: this.#name }), abortOptions(options.signal)),
        options.signal,
      );
      value = out.Parameter?.Value;
    } catch (cause) {
      const name = awsErrorName(cause);
      // A parameter that does not exist holds nothing: the first save creates it, and this run
      // sends "monitoring started", so the alert path is still proven.
      if (name === 'ParameterNotFound') return null;
      throw new AlertError('STATE_UNREADABLE', `Could not read the alert state parameter (${name}).`, {
        awsErrorName: name,
        status: awsHttpStatus(cause),
        cause,
      });
    }
    return parseAlertState(value ?? '');
  }

  async save(state: AlertState, options: StateStoreCallOptions = {}): Promise<void> {
    const value = serializeAlertState(state);
    try {
      const { PutParameterCommand } = await import('@aws-sdk/client-ssm');
      await untilAborted(
        this.#client.send(
          new PutParameterCommand({
            Name: this.#name,
            Value: value,
            Type: 'String',
            Overwrite: true,
            // Explicit, so an account whose default tier is Advanced (billed) still stores it free.
            Tier: 'Standard',
          }),
          abortOptions(options.signal),
        ),
        options.signal,
      );
    } catch (cause) {
      if (isAlertError(cause)) throw cause;
      const name = awsErrorName(cause);
      throw new AlertError('STATE_WRITE_FAILED', `Could not write the alert state parameter (${name}).`, {
        awsErrorName: name,
        status: awsHttpStatus(cause),
        cause,
      });
    }
  }
}

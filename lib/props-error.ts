/**
 * A prop of the OpenRouterAuditor construct (or a context value of the app) is invalid. Thrown at
 * synth time, so a bad configuration never deploys. The message names the field and what is allowed.
 */
export class AuditorPropsError extends Error {
  readonly code = 'CONFIG_INVALID';
  override readonly name = 'AuditorPropsError';

  constructor(
    /** The prop (or context key) at fault, e.g. `schedule` or `auditConfig.models`. */
    readonly field: string,
    /** What is wrong and what is allowed; never echoes a secret value. */
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`OpenRouterAuditor: ${field}: ${problem}`, options);
  }
}

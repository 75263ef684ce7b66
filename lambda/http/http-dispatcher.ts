import type { Agent as AgentType, Dispatcher } from 'undici';
import { createProxyDispatcher } from './proxy-dispatcher';
import { proxySettings } from './proxy-settings';
import { Agent } from './undici';

/**
 * The Lambda's one dispatcher for OpenRouter and the Slack webhook: a plain Agent, or, when the
 * function's environment sets HTTPS_PROXY / HTTP_PROXY (a VPC whose egress goes through a proxy),
 * one that honours them and NO_PROXY, loopback always direct.
 */
export function httpDispatcher(
  env: Readonly<Record<string, string | undefined>>,
  agentOptions: AgentType.Options,
): Dispatcher {
  const settings = proxySettings(env);
  return settings === null
    ? new Agent(agentOptions)
    : createProxyDispatcher(settings, agentOptions).dispatcher;
}

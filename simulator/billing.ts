import { USER_ID } from './account';
import { type CatalogModel, price } from './catalog';
import { errorReply, type Reply } from './reply';
import type { KeyFigures } from './scenarios';

/** What a request may cost before OpenRouter refuses it. */
export interface Purse {
  /** Account balance, USD. */
  readonly balance: number;
  /** The calling key's figures (its limit and when it resets). */
  readonly key: Pick<KeyFigures, 'limit' | 'limitReset'>;
  /** What is left under the key's limit now (null: no limit). */
  readonly keyLimitRemaining: number | null;
}

/** The tokens a request is priced at: its `max_tokens`, or the model's default maximum output when it sent none. */
export function pricedTokens(model: CatalogModel, maxTokens: number | null): number {
  return maxTokens ?? model.maxCompletionTokens;
}

/**
 * OpenRouter's credit pre-check: the worst case (prompt plus every requested output token) must
 * fit in what is left on the account and under the key's limit; otherwise 402 "can only afford N".
 * An empty account gets 402 even for a free model.
 */
export function affordabilityError(
  model: CatalogModel,
  maxTokens: number | null,
  promptTokens: number,
  purse: Purse,
): Reply | undefined {
  const requested = pricedTokens(model, maxTokens);
  const keyRemaining = purse.keyLimitRemaining ?? Number.POSITIVE_INFINITY;
  const available = Math.min(purse.balance, keyRemaining);
  const promptCost = promptTokens * price(model, 'prompt');
  const completionPrice = price(model, 'completion');

  let affordable: number;
  if (purse.balance <= 0 || available <= promptCost) affordable = 0;
  else if (completionPrice === 0) affordable = Number.POSITIVE_INFINITY;
  else affordable = Math.floor((available - promptCost) / completionPrice);
  if (affordable >= requested) return undefined;

  const keyBinds = keyRemaining < purse.balance;
  const remedy = keyBinds
    ? `To increase, visit https://openrouter.ai/settings/keys and create a key with a higher ${purse.key.limitReset ?? 'total'} limit`
    : 'To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account';
  return errorReply(
    402,
    `This request requires more credits, or fewer max_tokens. You requested up to ${requested} tokens, but can only afford ${affordable}. ${remedy}`,
    { metadata: { provider_name: null }, userId: USER_ID },
  );
}

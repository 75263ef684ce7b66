/**
 * `~author/family-latest` aliases (openrouter-api-more.md §7): an alias is its own `/models` row
 * with the current target's figures, `canonical_slug` equal to the alias id and
 * `alias_target: {slug, name}`; its `/endpoints` lists no hosts, so clients look up the target.
 */
export interface ModelAlias {
  readonly id: string;
  readonly name: string;
  /** The `/models` id the alias resolves to today. */
  readonly target: string;
}

export const MODEL_ALIASES: readonly ModelAlias[] = [
  { id: '~openai/gpt-mini-latest', name: 'OpenAI: GPT Mini (latest)', target: 'openai/gpt-4o-mini' },
];

export const aliasById = (id: string): ModelAlias | undefined =>
  MODEL_ALIASES.find((alias) => alias.id === id);

import type { CatalogModel } from './catalog';
import { errorReply, type Reply } from './reply';

/**
 * Load-test behaviour of `POST /chat/completions` (`--rate-limit`, `--error-rate`), traced to
 * openrouter-api.md: past the rate, OpenRouter's own limit answers 429 with `Retry-After` (seconds)
 * and the `X-RateLimit-*` headers (§7); a provider failure is a 502 "Provider returned error" whose
 * model is skipped for the next one of the `models` fallback list, since "any error can trigger
 * the use of a fallback model" (§ model fallbacks); the response's `model` is the one that served.
 * With every listed model failing, the last failure is returned. Both draw on an injected clock
 * and random source, so a test can script them exactly.
 */
export interface LoadSettings {
  /** Completions admitted per second (a token bucket of that many, refilled continuously); null = no limit. */
  readonly rateLimitRps: number | null;
  /** Share of provider attempts that fail with a 5xx, 0–1. */
  readonly errorRate: number;
}

export class LoadShaper {
  private tokens: number;
  private refilledAt: number | null = null;

  constructor(
    private readonly settings: LoadSettings,
    private readonly now: () => Date,
    private readonly random: () => number,
  ) {
    this.tokens = settings.rateLimitRps === null ? 0 : Math.max(1, settings.rateLimitRps);
  }

  get active(): boolean {
    return this.settings.rateLimitRps !== null || this.settings.errorRate > 0;
  }

  /** The 429 for a request past the rate, or undefined when it is admitted (and counted). */
  admit(): Reply | undefined {
    const rps = this.settings.rateLimitRps;
    if (rps === null) return undefined;
    const capacity = Math.max(1, rps);
    const nowMs = this.now().getTime();
    if (this.refilledAt !== null) {
      this.tokens = Math.min(capacity, this.tokens + ((nowMs - this.refilledAt) / 1000) * rps);
    }
    this.refilledAt = nowMs;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - this.tokens) / rps));
    const limit = String(Math.max(1, Math.round(rps * 60)));
    const headers = {
      'Retry-After': String(retryAfterSeconds),
      'X-RateLimit-Limit': limit,
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(nowMs + retryAfterSeconds * 1000),
    };
    return errorReply(
      429,
      'Rate limit exceeded: requests-per-min. Slow down and retry after the reset time.',
      {
        metadata: { headers: { ...headers }, error_type: 'rate_limit_exceeded' },
        headers,
      },
    );
  }

  /** The 5xx this attempt at `model` gets, or undefined when its provider answers. */
  providerFailure(model: CatalogModel): Reply | undefined {
    if (this.settings.errorRate <= 0 || this.random() >= this.settings.errorRate) return undefined;
    return errorReply(502, 'Provider returned error', {
      metadata: {
        raw: 'upstream connect error',
        provider_name: model.endpoints[0].providerName,
        error_type: 'provider_unavailable',
      },
    });
  }
}

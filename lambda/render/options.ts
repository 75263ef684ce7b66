import { type Redactor, shapeRedactor } from '../engine/redact';
import type { AuditResult } from '../engine/result';

/** Options every report renderer accepts. */
export interface RenderOptions {
  /**
   * Masks secrets in everything rendered, as defence in depth: results should hold no key, but a
   * renderer is the last code that sees the text before it leaves the process.
   * @default a redactor that knows only the OpenRouter key shapes
   */
  readonly redactor?: Redactor;
}

/** A copy of the result with every string redacted; rendering then works on this copy only. */
export function redactResult(result: AuditResult, options: RenderOptions): AuditResult {
  return (options.redactor ?? shapeRedactor).redactDeep(result);
}

/** Redacts the finished text too, in case formatting joined pieces into a secret-shaped string. */
export function redactOutput(text: string, options: RenderOptions): string {
  return (options.redactor ?? shapeRedactor).redact(text);
}

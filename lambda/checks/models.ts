import type { Check, CheckOutcome } from '../engine/check';
import { describeError, remedyForError } from '../engine/describe-error';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';
import { modelIdForm } from './model-ids';
import { daysBetween, parseDate, plural, round } from './support';

/** `models`: every configured model is still listed in `/models` and not about to be retired. */
export const modelsCheck: Check = {
  id: 'models',
  title: 'Configured models exist',
  async run({ config, shared, now }): Promise<CheckOutcome> {
    let listed: Awaited<ReturnType<typeof shared.models>>;
    try {
      listed = await shared.models();
    } catch (error) {
      return {
        status: 'error',
        summary: `Could not list models: ${describeError(error)}`,
        remedy: remedyForError(error),
        values: { configured: [...config.models] },
      };
    }
    const byId = new Map(listed.map((m) => [m.id, m]));
    const notes: string[] = [];
    /** The `/models` row that stands for a configured id, or undefined for a router (nothing to list). */
    const rowOf = (id: string): string | null | undefined => {
      const form = modelIdForm(id);
      switch (form.kind) {
        case 'router':
          return undefined;
        case 'routing-variant':
          return byId.has(form.base) ? form.base : null;
        default:
          return byId.has(id) ? id : null;
      }
    };
    for (const id of config.models) {
      const form = modelIdForm(id);
      if (form.kind === 'router')
        notes.push(`${id} is a router that picks a model per request: not checked against /models`);
      if (form.kind === 'routing-variant' && byId.has(form.base))
        notes.push(`${id} is ${form.base} with :${form.variant} routing`);
      const target = form.kind === 'alias' ? byId.get(id)?.aliasTarget : null;
      if (target) notes.push(`${id} currently resolves to ${target}`);
    }
    const missing = config.models.filter((id) => rowOf(id) === null);
    const retiring = config.models.flatMap((id) => {
      const row = rowOf(id);
      const date = parseDate(row ? byId.get(row)?.expirationDate : null);
      return date
        ? [
            {
              model: id,
              expirationDate: date.toISOString().slice(0, 10),
              daysLeft: round(daysBetween(now, date), 1),
            },
          ]
        : [];
    });
    const retired = retiring.filter((r) => r.daysLeft <= 0);
    const soon = retiring.filter((r) => r.daysLeft > 0 && r.daysLeft <= config.modelExpiryWarnDays);
    const values = {
      configured: [...config.models],
      missing,
      retiring,
      modelsUnavailable: missing.length + retired.length,
      modelsListed: listed.length,
      notes,
    };
    const noted = notes.length > 0 ? ` (${notes.join('; ')})` : '';
    const remedy = `Switch to a listed model (see openrouter.ai/models) and update the config and your application. ${seeRunbook(RUNBOOK.outage)}`;
    if (missing.length > 0 || retired.length > 0) {
      const parts = [
        ...(missing.length > 0 ? [`not listed: ${missing.join(', ')}`] : []),
        ...retired.map((r) => `${r.model} retired on ${r.expirationDate}`),
      ];
      return {
        status: 'fail',
        summary: `${plural(missing.length + retired.length, 'model')} unavailable (${parts.join('; ')})${noted}`,
        remedy,
        values,
      };
    }
    if (soon.length > 0) {
      return {
        status: 'warn',
        summary: `Retiring soon: ${soon.map((r) => `${r.model} on ${r.expirationDate} (${Math.ceil(r.daysLeft)} days)`).join(', ')}${noted}`,
        remedy,
        values,
      };
    }
    return {
      status: 'pass',
      summary: `${config.models.length === 1 ? 'The configured model is' : `All ${config.models.length} configured models are`} listed (${config.models.join(', ')})${noted}`,
      values,
    };
  },
};

import type { Check, CheckOutcome } from '../engine/check';
import { describeError, remedyForError } from '../engine/describe-error';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';
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
    const missing = config.models.filter((id) => !byId.has(id));
    const retiring = config.models.flatMap((id) => {
      const date = parseDate(byId.get(id)?.expirationDate);
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
    };
    const remedy = `Switch to a listed model (see openrouter.ai/models) and update the config and your application. ${seeRunbook(RUNBOOK.outage)}`;
    if (missing.length > 0 || retired.length > 0) {
      const parts = [
        ...(missing.length > 0 ? [`not listed: ${missing.join(', ')}`] : []),
        ...retired.map((r) => `${r.model} retired on ${r.expirationDate}`),
      ];
      return {
        status: 'fail',
        summary: `${plural(missing.length + retired.length, 'model')} unavailable (${parts.join('; ')})`,
        remedy,
        values,
      };
    }
    if (soon.length > 0) {
      return {
        status: 'warn',
        summary: `Retiring soon: ${soon.map((r) => `${r.model} on ${r.expirationDate} (${Math.ceil(r.daysLeft)} days)`).join(', ')}`,
        remedy,
        values,
      };
    }
    return {
      status: 'pass',
      summary: `${config.models.length === 1 ? 'The configured model is' : `All ${config.models.length} configured models are`} listed (${config.models.join(', ')})`,
      values,
    };
  },
};

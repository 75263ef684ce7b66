/**
 * Prints the fault matrix (fault-table.ts, the table fault-matrix.test.ts plays) as Markdown for the
 * README: `npx tsx test/faults/render-fault-matrix.ts > fault-matrix.md`.
 */
import { pathToFileURL } from 'node:url';
import {
  DEADLINE,
  ENDPOINT,
  type Expectation,
  FAULT_CASES,
  HUGE_BODY_BYTES,
  MATRIX_ROUTES,
  MATRIX_TIMEOUT_MS,
  type MatrixRoute,
  ROUTE_CHECK,
  requestsOnRoute,
} from './fault-table';

function cell(route: MatrixRoute, expected: Expectation): string {
  const requests = requestsOnRoute(route, expected);
  const retried = expected.attempts > 1 ? ' (retried)' : '';
  // Knock-on verdicts of an answer that was read (a failed answer's readers are in the notes).
  const others = expected.recovers
    ? Object.entries(expected.others)
        .filter(([, outcome]) => outcome?.status !== 'pass')
        .map(([id, outcome]) => `${id} ${outcome?.status}`)
    : [];
  const also = others.length > 0 ? `; ${others.join(', ')}` : '';
  const when = expected.outcome.summary === DEADLINE ? ' at the deadline' : '';
  return `${expected.outcome.status}${when}${also} · ${requests} req${retried}`;
}

/** The matrix as a Markdown table with its notes. */
export function renderFaultMatrix(): string {
  const header = `| Fault | ${MATRIX_ROUTES.map((r) => `${r === 'chat' ? 'POST' : 'GET'} ${ENDPOINT[r]} → \`${ROUTE_CHECK[r]}\``).join(' | ')} |`;
  const rule = `|---|${MATRIX_ROUTES.map(() => '---').join('|')}|`;
  const rows = FAULT_CASES.map(
    (fault) =>
      `| ${fault.name} | ${MATRIX_ROUTES.map((route) => cell(route, fault.expect(route))).join(' | ')} |`,
  );
  const notes = [
    `Each cell: the status of the endpoint's check, then the requests the endpoint received in one audit (retries included). Audit deadline ${MATRIX_TIMEOUT_MS} ms; every other check keeps its healthy \`pass\` unless the cell says otherwise.`,
    '- GET `/key` is sent twice at once, with the API key (the one faulted) and with the management key (answered normally), so every `/key` cell counts one request more.',
    '- When GET `/key` fails, `key-limit`, `key-age`, `test-request` and `spend` skip ("see the auth check": one cause, one alert); when the key list fails, `key-age` skips. When either endpoint hangs or stalls, those readers (and `credits`) end at the deadline as `error` too.',
    '- Retries: GETs repeat 408, 429, 5xx and dropped connections, up to 3 times, never waiting past the deadline; a completion repeats only 429, 503 and a connection dropped before any answer. 400, 401, 402, 403, 404, malformed answers and the free-tier daily cap are never repeated.',
    `- The ${HUGE_BODY_BYTES / 1024 / 1024} MiB body is cut at the client's 16 MiB cap while streaming; the audit's memory grows by less than a quarter of the body.`,
  ];
  return `${[header, rule, ...rows].join('\n')}\n\n${notes.join('\n')}\n`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(renderFaultMatrix());
}

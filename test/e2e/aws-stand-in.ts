import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A small local stand-in for the four AWS services the auditor Lambda calls, speaking the wire
 * protocols of the locked SDK clients (client-secrets-manager / -cloudwatch / -ssm 3.1164,
 * client-sns 3.1169), so the bundled handler can run with its real SDK clients pointed here by
 * `AWS_ENDPOINT_URL`:
 * - Secrets Manager: awsJson1_1, `X-Amz-Target: secretsmanager.GetSecretValue`
 * - CloudWatch: awsJson1_0 (query-compatible), `X-Amz-Target: GraniteServiceVersion20100801.PutMetricData`;
 *   the SDK gzips bodies over 10 KB
 * - SSM: awsJson1_1, `X-Amz-Target: AmazonSSM.GetParameter` / `AmazonSSM.PutParameter`
 * - SNS: awsQuery, form-encoded `Action=Publish`, XML reply
 * It records every request it receives (decoded), for assertions. Loopback only.
 */

export type StandInService = 'secretsmanager' | 'cloudwatch' | 'ssm' | 'sns';

export interface RecordedRequest {
  readonly service: StandInService | 'unknown';
  /** e.g. `GetSecretValue`, `PutMetricData`, `Publish`. */
  readonly action: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as text (gunzipped when the SDK compressed it). */
  readonly body: string;
  /** JSON bodies parsed; awsQuery bodies as a flat record of form fields. */
  readonly input: unknown;
}

export interface AwsStandInOptions {
  /** Secret id (name) → SecretString. Unknown ids answer ResourceNotFoundException. */
  readonly secrets: Readonly<Record<string, string>>;
  /** CreatedDate of every secret's current version. @default 2026-11-01T00:00:00Z */
  readonly secretCreatedAt?: Date;
}

export interface AwsStandIn {
  /** `http://127.0.0.1:PORT`, for AWS_ENDPOINT_URL. */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Requests of one service and action. */
  received(service: StandInService, action: string): RecordedRequest[];
  /** The next N calls of this action fail with this AWS error name (HTTP 400, or 500 for `InternalFailure`). */
  failNext(service: StandInService, action: string, errorName: string, times?: number): void;
  /** SSM parameters stored by PutParameter. */
  readonly parameters: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

const TARGET_SERVICES: Readonly<Record<string, StandInService>> = {
  secretsmanager: 'secretsmanager',
  GraniteServiceVersion20100801: 'cloudwatch',
  AmazonSSM: 'ssm',
};

export async function startAwsStandIn(options: AwsStandInOptions): Promise<AwsStandIn> {
  const requests: RecordedRequest[] = [];
  const parameters = new Map<string, string>();
  const failures = new Map<string, { errorName: string; times: number }>();
  const createdAt = options.secretCreatedAt ?? new Date('2026-11-01T00:00:00.000Z');

  const answer = (recorded: RecordedRequest): Reply => {
    const failure = failures.get(`${recorded.service}:${recorded.action}`);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      return errorReply(recorded.service, failure.errorName);
    }
    switch (recorded.service) {
      case 'secretsmanager':
        return secretsManager(recorded, options.secrets, createdAt);
      case 'cloudwatch':
        return recorded.action === 'PutMetricData'
          ? jsonReply('1.0', 200, {})
          : errorReply('cloudwatch', 'UnknownOperationException');
      case 'ssm':
        return ssm(recorded, parameters);
      case 'sns':
        return sns(recorded);
      default:
        return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'unknown request' };
    }
  };

  const server = createServer((req, res) => {
    readBody(req)
      .then((raw) => {
        const recorded = decode(req, raw);
        requests.push(recorded);
        const reply = answer(recorded);
        res.writeHead(reply.status, reply.headers).end(reply.body);
      })
      .catch(() => {
        res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo; // listen() on a TCP port always yields an AddressInfo.

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    received: (service, action) => requests.filter((r) => r.service === service && r.action === action),
    failNext: (service, action, errorName, times = 1) => {
      failures.set(`${service}:${action}`, { errorName, times });
    },
    parameters,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const raw = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

function decode(req: IncomingMessage, raw: Buffer): RecordedRequest {
  const body = raw.toString('utf8');
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) {
    const [prefix = '', action = ''] = target.split('.');
    let input: unknown = null;
    try {
      input = body === '' ? {} : JSON.parse(body);
    } catch {
      input = null;
    }
    return { service: TARGET_SERVICES[prefix] ?? 'unknown', action, headers: req.headers, body, input };
  }
  const form = Object.fromEntries(new URLSearchParams(body));
  const action = form.Action ?? '';
  return {
    service: action === 'Publish' ? 'sns' : 'unknown',
    action,
    headers: req.headers,
    body,
    input: form,
  };
}

function field(input: unknown, name: string): unknown {
  return input !== null && typeof input === 'object' ? new Map(Object.entries(input)).get(name) : undefined;
}

interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

function jsonReply(version: '1.0' | '1.1', status: number, body: unknown): Reply {
  return {
    status,
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(body),
  };
}

function errorReply(service: StandInService | 'unknown', errorName: string): Reply {
  const status = errorName === 'InternalFailure' ? 500 : 400;
  if (service === 'sns') {
    return {
      status,
      headers: { 'content-type': 'text/xml' },
      body: `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${errorName}</Code><Message>stand-in failure</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    };
  }
  const reply = jsonReply(service === 'cloudwatch' ? '1.0' : '1.1', status, {
    __type: errorName,
    message: 'stand-in failure',
  });
  // CloudWatch's JSON protocol is query-compatible: the query error code rides in this header.
  return service === 'cloudwatch'
    ? { ...reply, headers: { ...reply.headers, 'x-amzn-query-error': `${errorName};Sender` } }
    : reply;
}

function secretsManager(
  request: RecordedRequest,
  secrets: Readonly<Record<string, string>>,
  createdAt: Date,
): Reply {
  if (request.action !== 'GetSecretValue') return errorReply('secretsmanager', 'InvalidRequestException');
  const id = field(request.input, 'SecretId');
  const value = typeof id === 'string' ? new Map(Object.entries(secrets)).get(id) : undefined;
  if (typeof id !== 'string' || value === undefined)
    return errorReply('secretsmanager', 'ResourceNotFoundException');
  return jsonReply('1.1', 200, {
    ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${id}-AbCdEf`,
    Name: id,
    VersionId: '00000000-0000-0000-0000-000000000001',
    SecretString: value,
    VersionStages: ['AWSCURRENT'],
    // awsJson timestamps are epoch seconds.
    CreatedDate: createdAt.getTime() / 1000,
  });
}

function ssm(request: RecordedRequest, parameters: Map<string, string>): Reply {
  const name = field(request.input, 'Name');
  if (typeof name !== 'string') return errorReply('ssm', 'ValidationException');
  if (request.action === 'GetParameter') {
    const value = parameters.get(name);
    if (value === undefined) return errorReply('ssm', 'ParameterNotFound');
    return jsonReply('1.1', 200, { Parameter: { Name: name, Type: 'String', Value: value, Version: 1 } });
  }
  if (request.action === 'PutParameter') {
    const value = field(request.input, 'Value');
    if (typeof value !== 'string') return errorReply('ssm', 'ValidationException');
    parameters.set(name, value);
    return jsonReply('1.1', 200, { Version: 1, Tier: 'Standard' });
  }
  return errorReply('ssm', 'InvalidAction');
}

function sns(request: RecordedRequest): Reply {
  if (
    typeof field(request.input, 'TopicArn') !== 'string' ||
    typeof field(request.input, 'Message') !== 'string'
  ) {
    return errorReply('sns', 'InvalidParameter');
  }
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
  };
}

/**
 * The local stand-in for AWS that the packaged hook talks to through AWS_ENDPOINT_URL: an HTTP
 * server on loopback that speaks the wire protocols of the three services the hook calls — the
 * awsJson1_1 protocol of CodeDeploy and ECS (`X-Amz-Target: <service>.<Operation>`, JSON in and
 * out) and the awsQuery protocol of ELBv2 (form-encoded `Action=…`, XML out) — and hands every call
 * to one operation table (model.ts). It holds no state and decides nothing: it only formats.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An operation's answer, in the SDK model's shape; throw AwsError for a modelled error. */
export type Operation = (input: Record<string, unknown>) => unknown;

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface StandIn {
  url: string;
  /** Every call, in order: `<service>:<Operation>`. */
  calls: string[];
  close(): Promise<void>;
}

export async function startStandIn(operations: Record<string, Operation>): Promise<StandIn> {
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    read(req).then(
      (body) => {
        const target = req.headers['x-amz-target'];
        if (typeof target === 'string') {
          // awsJson1_1: CodeDeploy_20141006.GetDeployment, AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition
          const [prefix, name] = target.split('.');
          const service = prefix.startsWith('CodeDeploy') ? 'codedeploy' : 'ecs';
          const key = `${service}:${name}`;
          calls.push(key);
          res.setHeader('content-type', 'application/x-amz-json-1.1');
          try {
            const op = operations[key];
            if (!op) throw new AwsError('UnknownOperationException', `the rehearsal does not answer ${key}`);
            res.end(JSON.stringify(op(body ? (JSON.parse(body) as Record<string, unknown>) : {}) ?? {}));
          } catch (err) {
            const e = err instanceof AwsError ? err : new AwsError('InternalFailure', (err as Error).message);
            res.statusCode = 400;
            res.end(JSON.stringify({ __type: e.code, message: e.message }));
          }
          return;
        }
        // awsQuery (ELBv2): Action=DescribeRules&Version=2015-12-01&RuleArns.member.1=…
        const params = Object.fromEntries(new URLSearchParams(body));
        const key = `elbv2:${params.Action}`;
        calls.push(key);
        res.setHeader('content-type', 'text/xml');
        try {
          const op = operations[key];
          if (!op) throw new AwsError('InvalidAction', `the rehearsal does not answer ${key}`);
          const result = op(queryInput(params));
          res.end(
            `<${params.Action}Response xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">` +
              `<${params.Action}Result>${toXml(result)}</${params.Action}Result>` +
              `<ResponseMetadata><RequestId>rehearsal</RequestId></ResponseMetadata></${params.Action}Response>`,
          );
        } catch (err) {
          const e = err instanceof AwsError ? err : new AwsError('InternalFailure', (err as Error).message);
          res.statusCode = 400;
          res.end(
            `<ErrorResponse><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message></Error><RequestId>rehearsal</RequestId></ErrorResponse>`,
          );
        }
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `ListenerArns.member.1=a&ListenerArns.member.2=b&Marker=m` → `{ ListenerArns: [a, b], Marker: m }`. */
export function queryInput(params: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === 'Action' || key === 'Version') continue;
    const m = /^(\w+)\.member\.(\d+)$/.exec(key);
    if (m) {
      const list = (out[m[1]] as string[] | undefined) ?? [];
      list[Number(m[2]) - 1] = value;
      out[m[1]] = list;
    } else out[key] = value;
  }
  return out;
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** awsQuery's XML: an object's keys as elements, a list's items as `<member>`s. */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return xmlEscape(String(value));
}

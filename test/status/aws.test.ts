import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { AwsCallError, AwsGateway, createStatusClients, READ_ACTIONS } from '../../scripts/status/aws';
import type { DescribeContext } from '../../scripts/status/context';
import { readService } from '../../scripts/status/read/service';
import { ACCOUNT, CONFIG, NAMES, NOW, REGION } from './fixtures';

describe('status: AWS calls and errors', () => {
  describe('retries with the real SDK against a local endpoint posing as ECS', () => {
    let server: Server;
    let endpoint: string;
    const seen: string[] = [];
    let throttleFirst = 0;

    before(async () => {
      // ECS speaks JSON 1.1: the operation is in X-Amz-Target, errors carry __type.
      server = createServer((req, res) => {
        const target =
          String(req.headers['x-amz-target'] ?? '')
            .split('.')
            .pop() ?? '';
        seen.push(target);
        req.resume();
        req.on('end', () => {
          res.setHeader('Content-Type', 'application/x-amz-json-1.1');
          if (target === 'DescribeServices' && throttleFirst > 0) {
            throttleFirst--;
            res
              .writeHead(400)
              .end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
            return;
          }
          if (target === 'DescribeServices') {
            res.writeHead(200).end(
              JSON.stringify({
                services: [
                  {
                    serviceName: NAMES.rolling.service,
                    status: 'ACTIVE',
                    desiredCount: 2,
                    runningCount: 2,
                    pendingCount: 0,
                    taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${NAMES.rolling.taskFamily}:3`,
                    deployments: [],
                  },
                ],
                failures: [],
              }),
            );
            return;
          }
          res.writeHead(200).end(
            JSON.stringify({
              taskDefinition: { containerDefinitions: [{ name: 'web', image: 'repo:abc1234' }] },
            }),
          );
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('rides out two throttled answers with backoff and reads the service', async () => {
      throttleFirst = 2;
      seen.length = 0;
      const clients = createStatusClients(REGION, {
        endpoint,
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      });
      const ctx: DescribeContext = {
        aws: new AwsGateway(clients, REGION, () => NOW),
        config: CONFIG,
        names: NAMES,
        now: () => NOW,
        probe: async () => ({ url: '', latencyMs: 0 }),
        cache: new Map(),
      };

      const { view } = await readService(ctx, NAMES.rolling.service);

      expect(view).to.deep.include({
        running: 2,
        taskDefinition: 'ecs-playground-dev-rolling:3',
        imageTag: 'abc1234',
      });
      expect(seen).to.deep.equal([
        'DescribeServices',
        'DescribeServices',
        'DescribeServices',
        'DescribeTaskDefinition',
      ]);
      // One gateway call per operation: the retries are the SDK's, inside the call.
      expect(ctx.aws.calls.map((c) => c.action)).to.deep.equal([
        'ecs:DescribeServices',
        'ecs:DescribeTaskDefinition',
      ]);
    });
  });

  describe('AwsCallError.from', () => {
    const from = (err: unknown) => AwsCallError.from('codedeploy:GetDeploymentTarget', 'us-west-2', err);

    it('names the IAM action a denied call needs', () => {
      const e = from(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
      expect([e.kind, e.message]).to.deep.equal([
        'denied',
        'not allowed to call codedeploy:GetDeploymentTarget: add it to your IAM policy (docs/status.md#iam-permissions)',
      ]);
    });

    it('tells expired credentials apart from throttling and missing things', () => {
      expect(from(Object.assign(new Error('expired'), { name: 'ExpiredTokenException' })).kind).to.equal(
        'credentials',
      );
      expect(from(Object.assign(new Error('slow down'), { name: 'Throttling' })).kind).to.equal('throttled');
      expect(from(Object.assign(new Error('x'), { name: 'DeploymentDoesNotExistException' })).kind).to.equal(
        'not-found',
      );
      expect(
        from(Object.assign(new Error('connect ECONNREFUSED 1.2.3.4:443'), { name: 'Error' })).kind,
      ).to.equal('region');
    });
  });

  it('lists only read actions', () => {
    for (const action of READ_ACTIONS)
      expect(action).to.match(/^[a-z]+:(Describe|Get|List|Filter)[A-Za-z]+$/);
  });
});

/**
 * The load balancer the rehearsal builds from the rendered templates: the model (alb.ts), the
 * HAProxy configuration (haproxy-config.ts) and, with haproxy installed, the routing itself — the
 * canary test listener's two shapes (a fixed-response 404 default today, a forward to a target group
 * that never has targets after issue 21) and a weighted forward's share.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { namesFor, type PlaygroundConfig } from '../../config';
import { freePort } from '../../scripts/bench/free-port';
import { type LoadBalancerModel, loadBalancerOf, wildcardRegex } from '../../scripts/rehearse/alb';
import { Balancer } from '../../scripts/rehearse/balancer';
import { realClock } from '../../scripts/rehearse/clock';
import { Haproxy } from '../../scripts/rehearse/haproxy';
import {
  expectOf,
  haproxyConfig,
  initialWeights,
  serverCheckOptions,
} from '../../scripts/rehearse/haproxy-config';
import type { Task } from '../../scripts/rehearse/tasks';
import { readStack, renderedServiceStacks } from '../../scripts/rehearse/template';
import { thresholds } from '../../scripts/rehearse/weights';
import { configWith } from '../support/config';
import { needHaproxy } from './support';

const stacksOf = (config: PlaygroundConfig) =>
  renderedServiceStacks(config, (s) => namesFor(config).stackName(s));
const model = (config: PlaygroundConfig, stack: 'service-rolling' | 'service-bluegreen' | 'service-canary') =>
  loadBalancerOf(stacksOf(config).get(stack)!);
const CLOCK = realClock(10);

describe('rehearsal load balancer: the model of the rendered templates', () => {
  it('reads the canary listeners: production rule by path, test rule by the token header, a forward to the dead end by default', () => {
    const lb = model(configWith(), 'service-canary');
    const test = lb.listeners.find((l) => l.id === 'CanaryTestListener')!;
    expect(test.routes.map((r) => r.id)).to.deep.equal(['CanaryTestRule', 'CanaryTestListener']);
    expect(test.routes[0].conditions[0]).to.include({
      field: 'http-header',
      header: 'X-Playground-Probe-Token',
    });
    expect(test.routes[1].action).to.deep.equal({
      type: 'forward',
      targets: [{ tg: 'CanaryTestDefaultTargetGroup', weight: 1 }],
    });
    const prod = lb.listeners.find((l) => l.id === 'CanaryHttpListener')!;
    expect(prod.routes[0]).to.deep.include({
      id: 'CanaryProductionRule',
      priority: 1,
      conditions: [{ field: 'path-pattern', values: ['/*'] }],
    });
    expect(prod.routes[0].action).to.deep.equal({
      type: 'forward',
      targets: [
        { tg: 'CanaryTargetGroupA', weight: 100 },
        { tg: 'CanaryTargetGroupB', weight: 0 },
      ],
    });
  });

  it('follows the config: health-check thresholds, deregistration delay and testListenerAccess', () => {
    const config = configWith({
      healthCheck: {
        intervalSeconds: 15,
        healthyThresholdCount: 4,
        unhealthyThresholdCount: 5,
        path: '/healthz',
      },
      loadBalancer: { deregistrationDelaySeconds: 45, testListenerAccess: 'header-token' },
    });
    const lb = model(config, 'service-bluegreen');
    const green = lb.targetGroups.find((t) => t.id === 'GreenTargetGroup')!;
    expect(green.deregistrationDelaySeconds).to.equal(45);
    expect(serverCheckOptions(green.healthCheck, CLOCK)).to.equal('check inter 1500 rise 4 fall 5');
    const cfg = haproxyConfig([{ model: lb, ports: ports(lb) }], FILES, CLOCK, 60);
    expect(cfg).to.contain('option httpchk GET /healthz');
    // header-token: the dead end (503) for everyone, the probes' rule forwarding to blue.
    const test = lb.listeners.find((l) => l.port === 8080)!;
    expect(test.routes.at(-1)!.action).to.deep.equal({
      type: 'forward',
      targets: [{ tg: 'BlueGreenTestDefaultTargetGroup', weight: 1 }],
    });
    expect(test.routes[0].conditions[0]).to.include({ field: 'http-header' });
    const open = model(configWith(), 'service-bluegreen').listeners.find((l) => l.port === 8080)!;
    expect(open.routes.map((r) => r.action.type)).to.deep.equal(['forward']);
  });

  it('serves the HTTPS listener (plain HTTP on loopback) and redirects port 80 to it when a certificate is set', () => {
    const config = configWith({
      loadBalancer: {
        certificateArn: 'arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-000000000000',
      },
    });
    const lb = model(config, 'service-rolling');
    expect(lb.listeners.map((l) => [l.port, l.routes.at(-1)!.action.type])).to.deep.equal([
      [80, 'redirect'],
      [443, 'forward'],
    ]);
    const p = ports(lb);
    const https = lb.listeners.find((l) => l.port === 443)!;
    expect(haproxyConfig([{ model: lb, ports: p }], FILES, CLOCK, 60)).to.contain(
      `http-request redirect prefix http://127.0.0.1:${p.get(https.id)} code 301`,
    );
  });

  it('turns ALB wildcards and matchers into HAProxy patterns, and weights into cumulative thresholds', () => {
    expect(wildcardRegex('/api/*')).to.equal('^/api/.*$');
    expect(wildcardRegex('a?c.txt')).to.equal('^a.c\\.txt$');
    expect(expectOf('200')).to.equal('status 200');
    expect(expectOf('200-202,302')).to.equal('rstatus ^(200|201|202|302)$');
    const t = thresholds(
      [
        { tg: 'A', weight: 75 },
        { tg: 'B', weight: 25 },
      ],
      ['A', 'B', 'C'],
    );
    expect([...t]).to.deep.equal([
      ['A', 750],
      ['B', 1000],
      ['C', 1000],
    ]);
  });
});

const FILES = { socket: '/tmp/rehearse-test.sock', weightsMap: '/tmp/rehearse-test.map' };
let nextPort = 40000;
function ports(lb: LoadBalancerModel) {
  return new Map(lb.listeners.map((l) => [l.id, nextPort++]));
}

describe('rehearsal load balancer: HAProxy routing (real haproxy)', function () {
  this.timeout(60_000);
  let dir: string;
  let haproxy: Haproxy | undefined;
  const servers: Server[] = [];

  before(function () {
    needHaproxy(this);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rehearse-haproxy-'));
  });
  afterEach(async () => {
    await haproxy?.stop();
    haproxy = undefined;
    for (const s of servers.splice(0)) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** HAProxy for `lb`, with a loopback port per listener. */
  async function start(lb: LoadBalancerModel) {
    const p = new Map<string, number>();
    for (const l of lb.listeners) p.set(l.id, await freePort());
    const files = { socket: join(dir, 'h.sock'), weightsMap: join(dir, 'weights.map') };
    writeFileSync(files.weightsMap, initialWeights([{ model: lb }]));
    haproxy = await Haproxy.start(
      dir,
      haproxyConfig([{ model: lb, ports: p }], files, CLOCK, 60),
      files.socket,
    );
    return new Balancer(lb, p, haproxy, files.weightsMap, CLOCK);
  }

  it('answers the canary test listener without the token with the dead end 503, and 503 through its rule while its target group has no target', async () => {
    const lb = await start(model(configWith(), 'service-canary'));
    // The default forwards to a target group that never has targets: the ALB's own 503.
    expect(await get(lb.url('CanaryTestListener'))).to.match(/^503/);
    // The token rule forwards to A, which has no target yet: 503, as an ALB without targets.
    const token = (
      lb.model.listeners.find((l) => l.id === 'CanaryTestListener')!.routes[0].conditions[0] as {
        values: string[];
      }
    ).values[0];
    expect(await get(lb.url('CanaryTestListener'), token)).to.match(/^503/);
  });

  it('answers a fixed-response default action as the ALB would (status, body)', async () => {
    const config = configWith();
    const stack = stacksOf(config).get('service-canary')!;
    // A listener a deployment does not use may still answer fixed (lint:cfn keeps it off deployment listeners).
    const resources = structuredClone(stack.resources);
    resources.CanaryTestListener.Properties.DefaultActions = [
      {
        Type: 'fixed-response',
        FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not Found' },
      },
    ];
    const lb = await start(loadBalancerOf(readStack('service-canary', resources, config.app.region, 'test')));
    expect(await get(lb.url('CanaryTestListener'))).to.equal('404 Not Found');
  });

  it('splits a weighted forward by its weights: 25 % of 1000 requests to the canary, within 3 points', async () => {
    const lb = await start(model(configWith(), 'service-canary'));
    await lb.register('CanaryTargetGroupA', await answering('old'), true);
    await lb.register('CanaryTargetGroupB', await answering('new'), true);
    await lb.forward('CanaryProductionRule', [
      { tg: 'CanaryTargetGroupA', weight: 75 },
      { tg: 'CanaryTargetGroupB', weight: 25 },
    ]);
    let fresh = 0;
    const n = 1000;
    for (let i = 0; i < n; i++) if ((await get(lb.url('CanaryHttpListener'))).endsWith('new')) fresh++;
    expect((100 * fresh) / n).to.be.within(22, 28);
  });

  async function answering(name: string): Promise<Task> {
    const server = createServer((_, res) => res.end(name));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    return { id: name, version: name, port, startedAt: Date.now() } as Task;
  }
});

/** `<status> <body>` of a GET, with the probe token header when given. */
function get(url: string, token?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/`,
      { headers: token ? { 'X-Playground-Probe-Token': token } : {}, agent: false },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve(`${res.statusCode} ${body.trim().split('\n')[0]}`));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

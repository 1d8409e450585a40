import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createStatusClients } from '../../scripts/status/aws';
import { probeVersion } from '../../scripts/status/probe';
import { type WatchIo, watchMain } from '../../scripts/watch/cli';
import { CSV_HEADER } from '../../scripts/watch/files';
import { WATCH_LIMITS, WATCH_USER_AGENT } from '../../scripts/watch/settings';
import {
  BLUEGREEN_ALARMS,
  CONFIG,
  type FakeLoadBalancer,
  fakeLoadBalancer,
  mockAlarms,
  mockDeployment,
  mockHealthyRolling,
  mockHookLog,
  mockIdentity,
  mockLifecycle,
  mockPipeline,
  mockService,
  mockStack,
  mockTaskDefinition,
  NAMES,
  NOW,
  ROLLING_ALARMS,
  useStatusMocks,
} from '../status/fixtures';

/** Virtual time: only the watch's own sleeps move it, so the test does not depend on the machine's speed. */
function virtualClock() {
  const clock = {
    now: NOW,
    read: () => clock.now,
    sleep: async (ms: number) => {
      clock.now += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return clock;
}

/** A release seen from the outside: A until +10 s, then 1 answer in 10 from B until +40 s, then only B. */
function releaseAtoB(clock: { read(): number }) {
  let n = 0;
  return () => {
    const t = clock.read() - NOW;
    if (t < 10_000) return 'a11a111';
    if (t < 40_000) return n++ % 10 === 0 ? 'b22b222' : 'a11a111';
    return 'b22b222';
  };
}

interface Run {
  code: number;
  out: string[];
  err: string[];
  dir: string;
}

describe('npm run watch', () => {
  const m = useStatusMocks();
  let dir: string;
  const lbs: FakeLoadBalancer[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'watch-test-'));
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    while (lbs.length) await lbs.pop()!.close();
  });

  function io(clock: ReturnType<typeof virtualClock>, overrides: Partial<WatchIo> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const value: WatchIo = {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env: {},
      isTTY: false,
      config: () => CONFIG,
      clients: (region) => createStatusClients(region),
      now: clock.read,
      sleep: clock.sleep,
      probe: (url) => probeVersion(url, { userAgent: WATCH_USER_AGENT }),
      writeFile: (path, text) => {
        const { mkdirSync, writeFileSync } = require('node:fs') as typeof import('node:fs');
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, text);
      },
      interrupted: () => false,
      ...overrides,
    };
    return { io: value, out, err };
  }

  async function run(
    clock: ReturnType<typeof virtualClock>,
    argv: string[],
    overrides: Partial<WatchIo> = {},
  ): Promise<Run> {
    const c = io(clock, overrides);
    const code = await watchMain([...argv, '--out', dir], c.io);
    return { code, out: c.out, err: c.err, dir };
  }

  /** The AWS side of the same release: both strategies deploying until +45 s, then done. */
  function mockReleasingAccount(
    clock: { read(): number },
    rolling: FakeLoadBalancer,
    blueGreen: FakeLoadBalancer,
  ) {
    const done = () => clock.read() - NOW >= 45_000;
    mockIdentity(m);
    mockStack(m, NAMES.stackName('service-rolling'), rolling.url);
    mockStack(m, NAMES.stackName('service-bluegreen'), blueGreen.url);
    mockStack(m, NAMES.ecsCanary.stackName, undefined);
    mockHealthyRolling(m);
    m.ecs.on(DescribeServicesCommand, { services: [NAMES.rolling.service] }).callsFake(() => ({
      services: [
        mockService(NAMES.rolling.service, {
          deployments: done()
            ? [mockDeployment({})]
            : [
                mockDeployment({ id: 'ecs-svc/new', rolloutState: 'IN_PROGRESS' }),
                mockDeployment({ id: 'ecs-svc/old', status: 'ACTIVE' }),
              ],
          deploymentConfiguration: { alarms: { alarmNames: ROLLING_ALARMS, enable: true, rollback: true } },
        }),
      ],
    }));
    m.ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    m.ecs.on(DescribeServicesCommand, { services: [NAMES.blueGreen.service] }).resolves({
      services: [mockService(NAMES.blueGreen.service)],
    });
    mockTaskDefinition(m, NAMES.blueGreen.taskFamily, 14, 'b22b222');
    const { codeDeployApplication: applicationName, deploymentGroup: deploymentGroupName } = NAMES.blueGreen;
    m.cd.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: {
        alarmConfiguration: { enabled: true, alarms: BLUEGREEN_ALARMS.map((name) => ({ name })) },
        lastAttemptedDeployment: { deploymentId: 'd-RELEASE1', status: 'InProgress' },
      },
    });
    m.cd.on(ListDeploymentsCommand, { applicationName, deploymentGroupName }).callsFake(() => ({
      deployments: done() ? [] : ['d-RELEASE1'],
    }));
    m.cd.on(GetDeploymentCommand).callsFake(() => ({
      deploymentInfo: { deploymentId: 'd-RELEASE1', status: done() ? 'Succeeded' : 'InProgress' },
    }));
    m.cd.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['t'] });
    m.cd.on(GetDeploymentTargetCommand).callsFake(() => ({
      deploymentTarget: {
        ecsTarget: {
          lifecycleEvents: done()
            ? mockLifecycle('AfterAllowTraffic', 'InProgress', 1).map((e) => ({
                ...e,
                status: 'Succeeded' as const,
              }))
            : mockLifecycle('AllowTraffic', 'InProgress', 1),
          taskSetsInfo: [
            { taskSetLabel: 'Blue' as const, trafficWeight: done() ? 0 : 90 },
            { taskSetLabel: 'Green' as const, trafficWeight: done() ? 100 : 10 },
          ],
        },
      },
    }));
    mockHookLog(m, 'd-RELEASE1', 'Succeeded');
    mockPipeline(m, NAMES.rolling.pipeline);
    mockPipeline(m, NAMES.blueGreen.pipeline);
    mockAlarms(m, ROLLING_ALARMS);
    mockAlarms(m, BLUEGREEN_ALARMS);
  }

  it('follows A → 90/10 → B: shares, phases from AWS, settle, summary, SVG and CSV, within the rate bounds', async () => {
    const clock = virtualClock();
    const version = releaseAtoB(clock);
    const rolling = await fakeLoadBalancer(version, clock.read);
    const blueGreen = await fakeLoadBalancer(releaseAtoB(clock), clock.read);
    lbs.push(rolling, blueGreen);
    mockReleasingAccount(clock, rolling, blueGreen);

    const { code, out, err } = await run(clock, ['--rate', '5', '--settle', '10s', '--for', '5m']);

    expect(err).to.deep.equal([]);
    expect(code).to.equal(0);
    const text = out.join('\n');

    // Live progress off a terminal: one line per strategy every 10 s, shares of the last 10 s.
    const at30 = out.find((l) => l.startsWith('+0:30 rolling'))!;
    const shareOf = (line: string, v: string) => Number(new RegExp(`${v} ([\\d.]+) %`).exec(line)?.[1]);
    expect(shareOf(at30, 'a11a111')).to.be.closeTo(90, 3);
    expect(shareOf(at30, 'b22b222')).to.be.closeTo(10, 3);
    expect(at30).to.match(/ · 50 req · 0 err · 0 non-2xx · p50 \d+ ms p90 \d+ ms p99 \d+ ms$/);

    // Phases from the same AWS calls as status, as they change.
    expect(out).to.include('+0:00 rolling    deploying');
    expect(out).to.include('+0:00 bluegreen  shifting d-RELEASE1 (green 10 %)');
    expect(out).to.include('+1:00 rolling    deploying → stable');
    expect(out).to.include(
      '+1:00 bluegreen  shifting d-RELEASE1 (green 10 %) → stable d-RELEASE1 (green 100 %)',
    );
    expect(out).to.include('+0:10 rolling    new version b22b222 answered');

    // Settled only once B alone answered for 10 s AND AWS says the deployments are over (+45 s → refresh at +60 s).
    expect(out).to.include('+1:00 rolling    settled on b22b222 (only b22b222 for 10 s)');
    expect(out).to.include('+1:00 bluegreen  settled on b22b222 (only b22b222 for 10 s)');
    expect(text).to.include('Summary after 1 min (every strategy settled on one version)');

    const summaryStart = out.indexOf('Summary after 1 min (every strategy settled on one version)');
    const summary = out.slice(summaryStart, summaryStart + 6);
    expect(summary[1]).to.match(
      /^ {2}rolling {4}301 requests · 0 errors · 0 non-2xx · p50 \d+ ms p90 \d+ ms p99 \d+ ms$/,
    );
    // 10 s of A (50), 30 s at 90 % A (135): 185 of 301 answers.
    expect(summary[2]).to.equal('             a11a111: 185 answers (61.5 %), seen +0 s to +40 s');
    expect(summary[3]).to.match(/^ {13}b22b222: \d+ answers \(\d+\.\d %\), seen \+10 s to \+1 min$/);
    expect(summary[4]).to.equal('             only b22b222 from +40 s');
    expect(summary[5]).to.equal('             phase at the end: stable');

    // Raw samples: CSV well-formed, one row per request; the 90/10 phase holds 10 % B within tolerance.
    const csv = readFileSync(join(dir, 'samples.csv'), 'utf8').split('\r\n').filter(Boolean);
    expect(csv[0]).to.equal(CSV_HEADER.join(','));
    const rows = csv.slice(1).map((r) => r.split(','));
    for (const r of rows) expect(r).to.have.length(CSV_HEADER.length);
    expect(rows).to.have.length(rolling.requests.length + blueGreen.requests.length);
    const mixed = rows.filter((r) => r[2] === 'rolling' && Number(r[1]) >= 10_000 && Number(r[1]) < 40_000);
    const bShare = mixed.filter((r) => r[5] === 'b22b222').length / mixed.length;
    expect(bShare).to.be.closeTo(0.1, 0.02);

    const json = JSON.parse(readFileSync(join(dir, 'samples.json'), 'utf8'));
    expect(json.reason).to.equal('settled');
    expect(json.samples).to.have.length(rows.length);
    expect(json.userAgent).to.equal(WATCH_USER_AGENT);

    // The chart: valid XML, one panel per strategy, both versions in the legend.
    const svg = readFileSync(join(dir, 'versions.svg'), 'utf8');
    expect(XMLValidator.validate(svg)).to.equal(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(svg);
    const panels = [doc.svg.g].flat();
    expect(panels.map((g: Record<string, string>) => g['@_data-strategy'])).to.deep.equal([
      'rolling',
      'bluegreen',
    ]);
    const legend = [doc.svg.text]
      .flat()
      .map((t: unknown) => (typeof t === 'object' ? (t as { '#text': string })['#text'] : t));
    expect(legend).to.include.members(['a11a111', 'b22b222']);
    // The failed-requests band under each panel, and AWS's phase changes marked on the time axis.
    expect(svg).to.match(/>0 failed</);
    const bluegreen = panels.find((g: Record<string, string>) => g['@_data-strategy'] === 'bluegreen');
    expect([bluegreen.line].flat().length).to.be.greaterThan(0);

    // Bounds: at most `rate` requests per second to each load balancer, identified by User-Agent ...
    for (const lb of [rolling, blueGreen]) {
      const times = lb.requests.map((r) => r.at);
      for (const t of times) expect(times.filter((x) => x >= t && x < t + 1000).length).to.be.at.most(5);
      expect(lb.requests.every((r) => r.userAgent === WATCH_USER_AGENT)).to.equal(true);
    }
    // ... and AWS at most WATCH_LIMITS.awsCallsPerMinute calls in any 60 s, refreshed every 20 s.
    const calls: { at: string; action: string }[] = json.aws.calls;
    const times = calls.map((c) => Date.parse(c.at));
    for (const t of times) {
      expect(times.filter((x) => x >= t && x < t + 60_000).length).to.be.at.most(
        WATCH_LIMITS.awsCallsPerMinute,
      );
    }
    expect(
      new Set(calls.filter((c) => c.action === 'codedeploy:GetDeploymentTarget').map((c) => c.at)),
    ).to.have.length(4);
  });

  it('watches --url targets without any AWS call and stops at --for', async () => {
    const clock = virtualClock();
    let n = 0;
    const lb = await fakeLoadBalancer(
      () => (n++ % 4 === 3 ? { status: 503, body: 'busy' } : 'a11a111'),
      clock.read,
    );
    lbs.push(lb);
    const noAws = () => {
      throw new Error('no AWS client may be created with --url');
    };

    const { code, out } = await run(clock, ['--url', `local=${lb.url}`, '--for', '20s', '--rate', '2'], {
      clients: noAws,
    });

    expect(code).to.equal(0);
    expect(out[0]).to.equal(`Watching local (${lb.url}): 2 req/s each, at most 20 s, no AWS`);
    expect(out).to.include('Summary after 20 s (time limit (--for) reached)');
    expect(out.find((l) => l.startsWith('  local '))).to.match(
      /^ {2}local {6}40 requests · 0 errors · 10 non-2xx · /,
    );
    expect(lb.requests).to.have.length(40);
  });

  it('stops on Ctrl-C and still writes the summary and files', async () => {
    const clock = virtualClock();
    const lb = await fakeLoadBalancer(() => 'a11a111', clock.read);
    lbs.push(lb);
    const { code, out } = await run(clock, ['--url', `local=${lb.url}`], {
      interrupted: () => clock.read() - NOW >= 3000,
    });
    expect(code).to.equal(0);
    expect(out).to.include('Summary after 3 s (interrupted)');
    expect(XMLValidator.validate(readFileSync(join(dir, 'versions.svg'), 'utf8'))).to.equal(true);
  });

  it('redraws one live screen on a terminal', async () => {
    const clock = virtualClock();
    const lb = await fakeLoadBalancer(() => 'a11a111', clock.read);
    lbs.push(lb);
    const { out } = await run(clock, ['--url', `local=${lb.url}`, '--for', '10s'], { isTTY: true, env: {} });
    const screens = out.filter((l) => l.includes('watching 1 load balancer'));
    expect(screens.length).to.be.greaterThan(10);
    // Cursor up over the previous screen (CSI n F), then clear to the end (CSI J).
    expect(screens[1].startsWith('\x1b[')).to.equal(true);
    expect(screens[1].slice(0, 12)).to.match(/^.\[\d+F.\[J/);
    expect(screens.at(-1)).to.include('a11a111');
    expect(screens.at(-1)).to.include('█');
  });

  it('shows --help without any AWS call; bad flags exit 2 with usage', async () => {
    const clock = virtualClock();
    const noAws = () => {
      throw new Error('no AWS client may be created for --help');
    };
    const help = io(clock, { clients: noAws });
    expect(await watchMain(['--help'], help.io)).to.equal(0);
    expect(help.out[0]).to.match(/^Usage: npm run watch -- \[flags\]/);
    expect(help.out[0]).to.include('--rate <n>');

    for (const [argv, message] of [
      [['--rate', '50'], 'error: --rate 50: must be a number from 1 to 10'],
      [['--for', '2h'], 'error: --for 2h: must be a duration from 10s to 60m (e.g. 90s, 10m)'],
      [
        ['--url', 'nonsense'],
        'error: --url nonsense: expected <id>=<http(s) URL>, e.g. local=http://127.0.0.1:8080/version',
      ],
      [['--nope'], 'error: unknown flag --nope'],
      [['--rat', '2'], 'error: unknown flag --rat: did you mean --rate?'],
    ] as const) {
      const bad = io(clock, { clients: noAws });
      expect(await watchMain([...argv], bad.io), argv.join(' ')).to.equal(2);
      expect(bad.err[0].split('\n\n')[0]).to.equal(message);
      expect(bad.err[0]).to.include('Usage: npm run watch -- [flags]');
    }
    expect(m.sts.calls()).to.have.length(0);
  });

  it('says there is nothing to watch when no strategy is deployed', async () => {
    const clock = virtualClock();
    mockIdentity(m);
    for (const stack of [
      NAMES.stackName('service-rolling'),
      NAMES.stackName('service-bluegreen'),
      NAMES.ecsCanary.stackName,
    ]) {
      mockStack(m, stack, undefined);
    }
    const { code, err } = await run(clock, []);
    expect(code).to.equal(1);
    expect(err).to.deep.equal([
      'error: nothing to watch: no strategy of ecs-playground-dev is deployed in us-west-2 (npm run deploy), or pass --url <id>=<url>',
    ]);
  });
});

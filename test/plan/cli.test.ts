import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { buildSeconds } from '../../config/build-model';
import { settingsOverrides } from '../../scripts/cli/settings';
import { main, type PlanIo } from '../../scripts/plan/cli';
import { ganttChart, summaryTable } from '../../scripts/timeline/render';
import { duration, releaseTimelines } from '../../scripts/timeline/timeline';
import { configWith } from '../support/config';

/** `npm run plan` in-process, with no config file and no PLAYGROUND_* unless given. */
function plan(argv: string[], env: Record<string, string> = {}, cwd = emptyDir) {
  const out: string[] = [];
  const err: string[] = [];
  const io: PlanIo = {
    out: (l) => out.push(...l.split('\n')),
    err: (l) => err.push(...l.split('\n')),
    env,
    cwd,
  };
  return { code: main(argv, io), out, err };
}

let emptyDir: string;

describe('npm run plan', () => {
  before(() => {
    emptyDir = mkdtempSync(join(tmpdir(), 'plan-'));
  });
  after(() => rmSync(emptyDir, { recursive: true, force: true }));

  it('prints every strategy phase by phase, the milestones beside AWS defaults, and the cost', () => {
    const { code, out, err } = plan([]);
    expect(err).to.deep.equal([]);
    expect(code).to.equal(0);
    expect(out[0]).to.equal(
      'Release timeline of ecs-playground-dev (config: defaults): a push to main, phase by phase',
    );
    expect(out).to.include('ECS rolling update (rolling)');
    expect(out).to.include('CodeDeploy blue/green (bluegreen)');
    expect(out).to.include('ECS canary (built-in) (canary)');
    expect(out.find((l) => l.includes('new tasks pass the ALB health checks'))).to.match(
      /20 s +healthCheck\.intervalSeconds × healthyThresholdCount = 10 s × 2; with AWS defaults 2 min 30 s \(30 s × 5\)$/,
    );
    const push = (afterBuild: number) => duration(20 + buildSeconds() + afterBuild);
    expect(out.filter((l) => l.includes('→ the new version serves 100 % of users'))).to.deep.equal([
      `    → the new version serves 100 % of users: 1 min 15 s after the build (${push(75)} after the push); with AWS defaults 3 min 25 s`,
      `    → the new version serves 100 % of users: 8 min 45 s after the build (${push(525)} after the push); with AWS defaults 10 min 55 s`,
      `    → the new version serves 100 % of users: 9 min 25 s after the build (${push(565)} after the push); with AWS defaults 17 min 55 s`,
    ]);
    expect(out.at(-1)).to.match(
      /^Cost: \$\d+\.\d\d a month running; \$\d\.\d{3} per push through every pipeline/,
    );
  });

  it('plans the effective config: your file, and --set on top of it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-config-'));
    try {
      writeFileSync(
        join(dir, 'playground.config.json'),
        JSON.stringify({ healthCheck: { intervalSeconds: 30 } }),
      );
      const file = plan([], {}, dir);
      expect(file.out[0]).to.include('(config: playground.config.json)');
      expect(file.out.find((l) => l.includes('new tasks pass'))).to.include('= 30 s × 2');
      const set = plan(
        ['--set', 'blueGreen.deploymentConfig=CodeDeployDefault.ECSCanary10Percent15Minutes'],
        {},
        dir,
      );
      expect(set.out[0]).to.include('(config: playground.config.json + command line)');
      // The file's 30 s × 2 health checks (+40 s) and the 15-minute canary (+10 min).
      expect(set.out.find((l) => l.startsWith('  CodeDeploy blue/green '))).to.include('19 min 25 s (');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the failure paths, and --set changes them (the circuit breaker of 10 tasks trips at 5)', () => {
    const { code, out } = plan(['--set', 'service.desiredCount=10']);
    expect(code).to.equal(0);
    expect(out.filter((l) => l.startsWith('  When the release is bad'))).to.have.length(3);
    expect(out.join('\n')).to.include(
      'circuit breaker threshold 5 failed tasks (⌈0.5 × service.desiredCount = 10⌉',
    );
  });

  it('prints JSON with --json', () => {
    const { code, out } = plan(['--json', '--set', 'loadBalancer.deregistrationDelaySeconds=60']);
    expect(code).to.equal(0);
    const json = JSON.parse(out.join('\n'));
    expect(json.config).to.equal('command line');
    expect(json.timelines.map((t: { strategy: string }) => t.strategy)).to.deep.equal([
      'rolling',
      'bluegreen',
      'canary',
    ]);
    expect(json.timelines[0].afterBuild).to.deep.equal({
      'first users': '1 min 15 s',
      'all users': '1 min 15 s',
      done: '2 min 15 s',
    });
    // The failure paths too, by strategy and kind: the rolling crash is detected 95 s after the build.
    expect(json.failurePaths.rolling.map((p: { release: string }) => p.release)).to.deep.equal([
      'crash',
      'unhealthy',
      'wrong-version',
      'alarm',
    ]);
    expect(json.failurePaths.rolling[0].detectedAt).to.equal(95);
    expect(json.costUsd.month).to.be.greaterThan(0);
  });

  it('prints usage with -h (exit 0), and usage after the problem for a bad flag or --set (exit 2)', () => {
    const help = plan(['-h']);
    expect(help.code).to.equal(0);
    expect(help.out[0]).to.equal('Usage: npm run plan -- [flags]');
    const bad = plan(['--nope']);
    expect(bad.code).to.equal(2);
    expect(bad.err[0]).to.equal('error: unknown flag --nope');
    expect(bad.err).to.include('Usage: npm run plan -- [flags]');
    const set = plan(['--set', 'healthCheck']);
    expect(set.code).to.equal(2);
    expect(set.err[0]).to.equal(
      'error: --set wants <path>=<value>, such as healthCheck.intervalSeconds=5 (got "healthCheck")',
    );
  });

  it('plans only the strategies app.strategies runs, and prices only those', () => {
    const all = plan(['--json']);
    const one = plan(['--json', '--set', 'app.strategies=["canary"]']);
    const [allJson, oneJson] = [JSON.parse(all.out.join('\n')), JSON.parse(one.out.join('\n'))];
    expect(oneJson.timelines.map((t: { strategy: string }) => t.strategy)).to.deep.equal(['canary']);
    expect(oneJson.costUsd.month).to.be.below(allJson.costUsd.month / 2);
    expect(oneJson.costUsd.push).to.be.below(allJson.costUsd.push / 2);
    const text = plan(['--set', 'app.strategies=["rolling"]']).out;
    expect(text).to.include('ECS rolling update (rolling)');
    expect(text.join('\n')).not.to.match(/blue\/green|canary/i);
  });

  it('fails with the config error, naming the field, when a setting is out of range', () => {
    const { code, err } = plan(['--set', 'healthCheck.healthyThresholdCount=1']);
    expect(code).to.equal(1);
    expect(err.join('\n')).to.include('healthCheck.healthyThresholdCount=1');
  });

  it('reads --set values as JSON when they parse, else as text', () => {
    expect(
      settingsOverrides(['a.b=5', 'a.c=true', 'd={"e":1}', 'f=CodeDeployDefault.ECSAllAtOnce']),
    ).to.deep.equal({
      a: { b: 5, c: true },
      d: { e: 1 },
      f: 'CodeDeployDefault.ECSAllAtOnce',
    });
    expect(settingsOverrides([])).to.equal(undefined);
  });
});

describe('release timeline rendering', () => {
  const timelines = releaseTimelines(configWith());

  it('draws a Mermaid gantt chart: one section per strategy, phases in seconds after the push, milestones', () => {
    const chart = ganttChart(timelines, 'title');
    expect(chart.slice(0, 5)).to.deep.equal([
      '```mermaid',
      'gantt',
      '  title title',
      '  dateFormat X',
      '  axisFormat %M:%S',
    ]);
    expect(chart).to.include('  section ECS rolling update');
    const built = 20 + buildSeconds();
    expect(chart).to.include(
      `  new tasks pass the ALB health checks :rolling4, ${built + 55}, ${built + 75}`,
    );
    expect(chart).to.include(`  100 percent of users :milestone, m04, ${built + 75}, ${built + 75}`);
    expect(chart).to.include(
      `  traffic shifts - 10 percent for 5 min :bluegreen6, ${built + 225}, ${built + 525}`,
    );
    // Mermaid ends a task name at ":" and reads "#"/";" as syntax: none inside a name.
    expect(chart).to.include('  section ECS canary (built-in)');
    expect(chart).to.include(
      `  canary - 10 percent of production for 5 min, then the rest :canary6, ${built + 265}, ${built + 565}`,
    );
    for (const line of chart.filter((l) => / :(rolling|bluegreen|canary|milestone)/.test(l))) {
      expect(line.split(' :')[0], line).not.to.match(/[:;#]/);
    }
  });

  it('tabulates the milestones after the build, ours, with AWS defaults, and a healthy release', () => {
    // Healthy: the hook judges in ~2 s instead of its budget, 148 s sooner for blue/green (150 s
    // budget) and 188 s for the ECS canary (150 s of probing + four 10 s callback delays).
    expect(summaryTable(timelines)).to.deep.equal([
      '| Strategy | first users (AWS defaults) | 100 % of users (AWS defaults) | done (AWS defaults) |',
      '| --- | ---: | ---: | ---: |',
      '| ECS rolling update | 1 min 15 s (3 min 25 s) | 1 min 15 s (3 min 25 s) | 1 min 45 s (8 min 25 s) |',
      '| CodeDeploy blue/green | 3 min 45 s (5 min 55 s), healthy 1 min 17 s | 8 min 45 s (10 min 55 s), healthy 6 min 17 s | 14 min 15 s (75 min 55 s), healthy 11 min 47 s |',
      '| ECS canary (built-in) | 4 min 25 s (7 min 55 s), healthy 1 min 17 s | 9 min 25 s (17 min 55 s), healthy 6 min 17 s | 14 min 55 s (27 min 55 s), healthy 11 min 47 s |',
    ]);
  });
});

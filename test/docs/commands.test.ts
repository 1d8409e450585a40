/**
 * Every command README.md, CONTRIBUTING.md and docs/ show is run by a test, or listed here with the
 * reason it cannot run on this machine (it needs AWS or Docker, or it is the suite itself). A new
 * command in a doc fails "accounts for every command" until it is given a rule below, so a doc
 * command can never silently break. Cheap ones run here, in-process (test/cli/support.ts); the
 * others name the test that runs them, and that test must exist under that exact title.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CONFIG, REPO_ROOT } from '../../config';
import { CFN_LINT_VERSION } from '../../scripts/lint/cfn-lint';
import { runScript } from '../cli/support';
import { allDocCommands, type DocCommand } from './extract';

type Rule = { match: RegExp } & (
  | { test: string; title: string }
  | { run: (command: string) => Promise<void> | void }
  | { notHere: string }
);

const NEEDS_AWS = 'needs an AWS account (it reads or changes real resources)';
const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

/** `npm run x -- --help`: the usage, exit 0. */
const showsUsage = async (command: string) => {
  const [, script, flag] = /^npm run ([a-z:]+) -- (-h|--help)$/.exec(command)!;
  const r = await runScript(script, [flag]);
  expect([r.code, r.stderr, r.stdout.split('\n')[0]]).to.deep.equal([
    0,
    '',
    `Usage: npm run ${script} -- [flags]`,
  ]);
};

/** First match wins; every command needs one, and every rule must still match a command. */
const RULES: Rule[] = [
  // The suite and its parts: running them inside the suite would run it twice.
  { match: /^npm test$/, notHere: 'the suite itself: CI runs it (.ci/run: npm ci, then npm test)' },
  {
    match: /^npm ci$/,
    notHere: 'installs the dependencies: .ci/run runs it on a clean clone before npm test',
  },
  {
    match: /^npm run (typecheck|lint|test:unit|lint:cfn)$/,
    notHere: 'a step of npm test (package.json "test"), which CI runs',
  },
  {
    match: /^npm run format$/,
    notHere: 'rewrites files (biome --write); npm run lint, the same tool, runs in npm test',
  },
  {
    match: /^npx mocha /,
    run: (command) => {
      // A part of this suite: the files exist, and a -g filter names a test in them.
      const [, files, filter] = /^npx mocha '?([^' ]+)'?(?: -g '([^']+)')?$/.exec(command)!;
      const dir = files.includes('**') ? files.split('/**')[0] : undefined;
      const found = dir ? readdirSync(join(REPO_ROOT, dir)).filter((f) => f.endsWith('.test.ts')) : [files];
      expect(found.length, command).to.be.greaterThan(0);
      if (!dir) expect(existsSync(join(REPO_ROOT, files)), command).to.equal(true);
      if (filter) expect(read(files), command).to.match(new RegExp(`it\\('[^']*${filter}`));
    },
  },
  {
    match: /^npm ci && npm run synth$/,
    test: 'test/cloudformation/synth.test.ts',
    title:
      'writes the reference set from the defaults and yours into cloudformation/out/<stage>/, saying which is which',
  },
  {
    match: /^npm run synth$/,
    test: 'test/cloudformation/synth.test.ts',
    title:
      'writes the reference set from the defaults and yours into cloudformation/out/<stage>/, saying which is which',
  },
  {
    match: /^npm run synth -- --out /,
    test: 'test/cloudformation/synth.test.ts',
    title: 'writes only your templates, one pretty JSON file per stack and one line each, with --out',
  },
  {
    match: /^PLAYGROUND_REGION=us-west-9 npm run synth$/,
    run: async () => {
      const r = await runScript('synth', [], {
        PLAYGROUND_CONFIG_JSON: '{}',
        PLAYGROUND_REGION: 'us-west-9',
      });
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(
        /^synth: Invalid config: app\.region="us-west-9": .* \(set by PLAYGROUND_REGION\)\n$/,
      );
    },
  },
  {
    match: /^PLAYGROUND_STAGE=staging npm run synth$/,
    run: async () => {
      const r = await runScript('synth', [], { PLAYGROUND_CONFIG_JSON: '{}', PLAYGROUND_STAGE: 'staging' });
      expect([r.code, r.stderr]).to.deep.equal([0, '']);
      expect(r.stdout).to.include(
        'stage staging, region us-west-2; git-ignored, what npm run deploy and the manual path deploy) → cloudformation/out/staging/',
      );
    },
  },
  {
    match: /^npm run test:quick$/,
    test: 'test/gate/quick.test.ts',
    title: 'leaves out every test file that starts a child process, and only existing files',
  },
  { match: /^npm run [a-z:]+ -- (-h|--help)$/, run: showsUsage },
  {
    match: /^npm run plan( -- --set [a-zA-Z.]+=\S+)?$/,
    run: async (command) => {
      const set = / -- (--set) (\S+)$/.exec(command);
      const r = await runScript('plan', set ? [set[1], set[2]] : []);
      expect([r.code, r.stderr]).to.deep.equal([0, '']);
      expect(r.stdout).to.match(/^Release timeline of ecs-playground-dev \(config: PLAYGROUND_CONFIG_JSON/);
      if (set) expect(r.stdout).to.include(`(config: PLAYGROUND_CONFIG_JSON + command line)`);
      for (const title of ['ECS rolling update', 'CodeDeploy blue/green', 'ECS canary (built-in)'])
        expect(r.stdout).to.include(`\n${title} (`);
    },
  },
  {
    match: /^npm run lint:cfn -- --templates /,
    test: 'test/lint/cli.test.ts',
    title:
      'checks another --templates directory (npm run lint:cfn -- --templates cloudformation/out/dev) with your config',
  },
  {
    match: /^npm run render:artifacts -- --out-dir \. --only appspec\.yml$/,
    run: async () => {
      const r = await runScript('render:artifacts', ['--out-dir', '.', '--only', 'appspec.yml']);
      expect([r.code, r.stderr]).to.deep.equal([0, '']);
      expect(r.stdout).to.match(/^wrote .*appspec\.yml \(\d+ bytes\)\n$/);
    },
  },
  {
    match: /^npm run render:artifacts( -- --out-dir \S+)?$/,
    test: 'test/build/cli.test.ts',
    title: 'writes the four files into --out-dir and prints each path',
  },
  {
    match: /^npm run deploy -- --dry-run$/,
    test: 'test/deploy/process.test.ts',
    title: 'prints the whole deploy plan in order with --dry-run and calls no AWS API',
  },
  {
    match: /^npm run destroy -- --dry-run$/,
    test: 'test/deploy/process.test.ts',
    title: 'prints the destroy plan in reverse order with the emptying steps, calling no AWS API',
  },
  {
    // npm's flag trap: npm keeps --dry-run (npm_config_dry_run); the kit reads it back.
    match: /^npm run deploy --dry-run$/,
    test: 'test/deploy/process.test.ts',
    title:
      'runs npm run deploy --dry-run (no --) as a dry run, with the cost on its first screen, calling no AWS API',
  },
  {
    match: /^npm run deploy -- --yes$/,
    test: 'test/deploy/cli.test.ts',
    title: 'deploys a fresh account in order, building the first image before the services',
  },
  {
    match: /^npm run destroy -- --yes$/,
    test: 'test/deploy/cli.test.ts',
    title: 'deletes every stack in reverse order with --yes, removing the hook with sls',
  },
  {
    match: /^npm run render:docs$/,
    test: 'test/deploy/docs.test.ts',
    title: 'rewrites a stale block and reports the documents that are up to date',
  },
  {
    match: /^npm run deploy -- --print-commands$/,
    test: 'test/deploy/cli.test.ts',
    title: 'prints the manual commands for another stage, with the stage for the local commands',
  },
  // Against AWS: run by their tests with mocked AWS clients (exact calls), never for real here.
  {
    match: /^npm run deploy( -- --stage staging)?$/,
    test: 'test/deploy/cli.test.ts',
    title: 'deploys a fresh account in order, building the first image before the services',
  },
  {
    match: /^npm run destroy$/,
    test: 'test/deploy/cli.test.ts',
    title: 'deletes every stack in reverse order with --yes, removing the hook with sls',
  },
  {
    match: /^npm run status$/,
    test: 'test/status/status.test.ts',
    title: 'renders a healthy account: commit served, tasks, revisions, pipelines, alarms, cost',
  },
  {
    match: /^npm run status -- --json$/,
    test: 'test/status/status.test.ts',
    title: 'prints --json in the documented shape',
  },
  {
    match: /^npm run watch( -- --for 10m --rate 2)?$/,
    test: 'test/watch/watch.test.ts',
    title:
      'follows A → 90/10 → B: shares, phases from AWS, settle, summary, SVG and CSV, within the rate bounds',
  },
  {
    match: /^npm run watch -- --url /,
    test: 'test/watch/watch.test.ts',
    title: 'watches --url targets without any AWS call and stops at --for',
  },
  {
    match: /^npm run rehearse( -- .*)?$/,
    test: 'test/rehearse/rehearse.test.ts',
    title: 'exits 0 for every release and reports the three strategies',
  },
  // The app.
  {
    match: /^(CODE_VERSION=abc |SIMULATE_UNHEALTHY=true )?(PORT=\d+ )?npm start$/,
    test: 'test/app/npm-start.test.ts',
    title:
      'drains and frees the port within 10 s when the npm start process gets SIGTERM (npm forwards it to the server)',
  },
  {
    match: /^CODE_VERSION=abc123 SIMULATE_UNHEALTHY=true PORT=8080 npm start$/,
    test: 'test/hook/invoke-local.test.ts',
    title:
      'answers FAILED to the sample ECS payload when the local app answers 500 on / (SIMULATE_UNHEALTHY=true)',
  },
  {
    match: /^CODE_VERSION=abc123 PORT=8080 npm start$/,
    test: 'test/hook/invoke-local.test.ts',
    title: 'reports Succeeded in the log when the local app serves the expected version',
  },
  {
    match: /^curl (-s )?(-H 'Accept: text\/plain' )?(http:\/\/)?localhost:\d+\//,
    test: 'test/app/npm-start.test.ts',
    title:
      'drains and frees the port within 10 s when the npm start process gets SIGTERM (npm forwards it to the server)',
  },
  {
    match: /^npm run build:app$/,
    test: 'test/app/build-app.test.ts',
    title: 'creates start.js, server.js and the code cache, and nothing else',
  },
  {
    match: /^node (start\.js|dist\/app\/start\.js)( --write-code-cache)?$/,
    test: 'test/app/build-app.test.ts',
    title: 'creates a code cache that `node start.js` uses, and serves the app from it',
  },
  { match: /^node$/, notHere: 'names the program, not a command' },
  {
    match: /^npm run bench/,
    test: 'test/app/bench.test.ts',
    title:
      'runs both benches with the settings of one command line (npm run bench -- --rounds 1 --duration 1)',
  },
  // The hook.
  {
    match: /^npx sls package/,
    test: 'test/hook/package.test.ts',
    title: 'packages without warnings (nodejs22.x is taught to v3 schema, not unvalidated)',
  },
  {
    match: /^SLS_TELEMETRY_DISABLED=1 npx sls invoke local /,
    test: 'test/hook/invoke-local.test.ts',
    title: 'reports Succeeded in the log when the local app serves the expected version',
  },
  {
    // Named in prose (docs/hook.md): both protocols run for real, offline.
    match: /^npx sls invoke local$/,
    test: 'test/hook/invoke-local.test.ts',
    title:
      'answers SUCCEEDED to a sample ECS lifecycle hook payload when the local app serves the expected version',
  },
  {
    match: /^npx sls( deploy| remove)?$/,
    notHere: `${NEEDS_AWS}; npm run deploy's tests check the sls command it runs`,
  },
  // Tools and setup.
  {
    match: /^(pip install cfn-lint==|cfn-lint --version)/,
    run: (command) => {
      // The version every doc pins is the one CodeBuild installs; the gate in npm test runs cfn-lint itself.
      if (command.startsWith('pip')) expect(command).to.equal(`pip install cfn-lint==${CFN_LINT_VERSION}`);
      expect(read('buildspec.yml')).to.include(`pip install --quiet cfn-lint==${CFN_LINT_VERSION}`);
    },
  },
  {
    match: /^docker (build|run|push|login)/,
    notHere: 'needs a Docker engine (none here; test/app/dockerfile.test.ts replays the Dockerfile instead)',
  },
  { match: /^git (push|commit -a)$/, notHere: "an instruction to the reader: it changes the reader's fork" },
  // The manual path and troubleshooting: AWS CLI calls, and shell lines that use their output.
  {
    match: /^aws |^[A-Z_]+=\$\(aws |^IMAGE_URI=/,
    notHere: `${NEEDS_AWS}; test/deploy/docs.test.ts checks each against the AWS CLI's models`,
  },
  {
    match: /^curl .*(elb\.amazonaws\.com|\$BG_URL|\$ROLLING_URL|\$CANARY_URL|\$\{BG_URL)|^for i in \$\(seq /,
    notHere: `${NEEDS_AWS}: it asks a deployed load balancer`,
  },
];

const commands = allDocCommands();
const ruleOf = (c: DocCommand) => RULES.find((r) => r.match.test(c.text));

describe('every command the docs show', () => {
  it('accounts for every command: run here, run by a named test, or not runnable here for a stated reason', () => {
    expect(commands.length).to.be.greaterThan(100);
    const unaccounted = commands.filter((c) => !ruleOf(c)).map((c) => `${c.where}: ${c.text}`);
    expect(unaccounted, 'add a rule to test/docs/commands.test.ts').to.deep.equal([]);
    const unused = RULES.filter((r) => !commands.some((c) => ruleOf(c) === r)).map((r) => String(r.match));
    expect(unused, 'a rule no command needs any more').to.deep.equal([]);
  });

  it('names tests that exist under exactly those titles', () => {
    const missing = RULES.flatMap((r) =>
      'test' in r && !(existsSync(join(REPO_ROOT, r.test)) && read(r.test).includes(`'${r.title}'`))
        ? [`${r.test}: ${r.title}`]
        : [],
    );
    expect(missing).to.deep.equal([]);
  });

  const runHere = [
    ...new Set(
      commands
        .filter((c) => {
          const r = ruleOf(c);
          return r && 'run' in r;
        })
        .map((c) => c.text),
    ),
  ];
  for (const text of runHere) {
    it(`runs: ${text}`, async () => {
      const rule = ruleOf({ text, where: '' }) as { run: (command: string) => Promise<void> | void };
      await rule.run(text);
    });
  }

  it('tags the image with one name everywhere: the app name', () => {
    const tags = commands.flatMap((c) =>
      [...c.text.matchAll(/(?:-t|--rm -p \S+) ([a-z-]+)(?: \.|$)/g)].map((m) => m[1]),
    );
    expect(tags.length).to.be.at.least(4);
    expect([...new Set(tags)]).to.deep.equal([DEFAULT_CONFIG.app.name]);
    expect(read('Dockerfile').split('\n')[0]).to.include(
      `-t ${DEFAULT_CONFIG.app.name} . && docker run -p 8080:8080 ${DEFAULT_CONFIG.app.name}`,
    );
  });

  it('keeps what docs/hook.md packages into .sls-out out of git', () => {
    expect(commands.some((c) => c.text === 'npx sls package --package .sls-out')).to.equal(true);
    expect(read('.gitignore').split('\n')).to.include('.sls-out/');
  });
});

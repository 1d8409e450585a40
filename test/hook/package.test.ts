import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parse as parseYaml } from 'yaml';
import { hookStatements } from '../../cloudformation/hook-policy';
import { RESOURCE_STAR_ACTIONS, trustPolicy } from '../../cloudformation/iam';
import { outcomeStatements } from '../../cloudformation/outcome-policy';
import {
  DEFAULT_CONFIG,
  HOOK_FUNCTION_KEY,
  hookEnvironment,
  namesFor,
  OUTCOME_FUNCTION_KEY,
  REPO_ROOT,
  TASK_DEFINITION_PLACEHOLDER,
} from '../../config';
import { lambdaTimeoutSeconds } from '../../config/hook-budget';
import { parseAppSpec } from '../../hook/discover';
import { renderAppSpec } from '../../scripts/artifacts/appspec';
import { HOOK_ZIP_LIMIT_BYTES } from '../../scripts/bench/hook/bundle';
import { checkTrustGuards } from '../../scripts/lint/rules/iam-trust-guard';
import { SHARED_PACKAGE_LOG, sharedPackage } from '../../scripts/lint/sls-package';
import type { CfnTemplate } from '../../scripts/lint/types';
import { readZip } from '../../scripts/rehearse/zip';
import { configWith } from '../support/config';
import { loadServerlessTs } from './support/load-serverless';
import { offlineEnv } from './support/offline-env';

const run = promisify(execFile);

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };

describe('hook package (npx sls package, offline, no credentials)', function () {
  this.timeout(120_000);
  const config = DEFAULT_CONFIG;
  const names = namesFor(config);
  let dir: string;
  let output: string;
  let template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

  let cleanup = () => {};

  before(async () => {
    // `npm test` packages the hook once for the gate (scripts/gate/run.ts): read that package;
    // alone (`npx mocha test/hook/package.test.ts`), package it here.
    const shared = await sharedPackage();
    if (shared) {
      dir = shared.dir;
      expect(shared.run.code, shared.run.stderr).to.equal(0);
      output = readFileSync(join(dir, SHARED_PACKAGE_LOG), 'utf8');
    } else {
      dir = mkdtempSync(join(tmpdir(), 'hook-package-'));
      cleanup = () => rmSync(dir, { recursive: true, force: true });
      const { stdout, stderr } = await run('npx', ['sls', 'package', '--package', dir], {
        cwd: REPO_ROOT,
        env: offlineEnv(),
      });
      output = stdout + stderr;
    }
    template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'));
  });
  after(() => cleanup());

  const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

  it('packages without warnings (nodejs22.x is taught to v3 schema, not unvalidated)', () => {
    expect(output).to.contain(
      `Packaging ${names.hookService} for stage ${config.app.stage} (${config.app.region})`,
    );
    expect(output).not.to.match(/warning/i);
  });

  it('creates one CodeDeployHook_ function on nodejs22.x arm64 with the config rendered in', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.map(([id]) => id)).to.deep.equal(['HookLambdaFunction', 'OutcomeLambdaFunction']);
    const [, fn] = functions[0]!;
    expect(fn.Properties.FunctionName).to.equal(names.hookFunction);
    expect(fn.Properties.FunctionName).to.match(/^CodeDeployHook_/);
    expect(fn.Properties).to.deep.include({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'hook/handler.handler',
      MemorySize: config.hook.memoryMb,
      Timeout: lambdaTimeoutSeconds(config),
      Environment: { Variables: hookEnvironment(config) },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub placeholder
      Role: { 'Fn::Sub': '${HookRole.Arn}' },
    });
    expect(ofType('AWS::Lambda::Version')).to.deep.equal([]);
  });

  it('creates the release-outcome check beside it, with a role of its own (cloudformation/outcome-policy.ts)', () => {
    const [, fn] = ofType('AWS::Lambda::Function')[1]!;
    expect(fn.Properties).to.deep.include({
      FunctionName: names.outcomeFunction,
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'hook/outcome/handler.handler',
      MemorySize: 128,
      Timeout: 30,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub placeholder
      Role: { 'Fn::Sub': '${OutcomeRole.Arn}' },
    });
    const policies = template.Resources.OutcomeRole!.Properties.Policies as {
      PolicyDocument: { Statement: Statement[] };
    }[];
    expect(policies[0]!.PolicyDocument.Statement).to.deep.equal(
      JSON.parse(JSON.stringify(outcomeStatements(config))),
    );
  });

  it('gives the function its own role with no "*" action and "*" resources only for read calls without resource-level permissions', () => {
    const roles = ofType('AWS::IAM::Role');
    expect(roles.map(([id]) => id)).to.deep.equal(['HookRole', 'OutcomeRole']);
    const policies = roles[0]![1].Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[];
    const statements = policies.flatMap((p) => p.PolicyDocument.Statement);
    const actions = (s: Statement) => [s.Action].flat();
    for (const s of statements) {
      for (const action of actions(s)) expect(action, `${s.Sid} action`).not.to.contain('*');
      if (s.Resource === '*') {
        for (const action of actions(s)) {
          // Read-only, but for the status report, which has no resource type (SAR; iam.ts says why).
          if (action !== 'codedeploy:PutLifecycleEventHookExecutionStatus') {
            expect(action).to.match(/^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]+$/);
          }
          expect(RESOURCE_STAR_ACTIONS, `${action} on "*"`).to.have.property(action);
        }
      }
    }
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub placeholders, as in serverless.ts
    const arn = 'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}';
    expect(bySid.ReportHookStatus).to.deep.equal({
      Sid: 'ReportHookStatus',
      Effect: 'Allow',
      Action: 'codedeploy:PutLifecycleEventHookExecutionStatus',
      Resource: '*',
    });
    expect(bySid.ReadDeployment).to.deep.equal({
      Sid: 'ReadDeployment',
      Effect: 'Allow',
      Action: ['codedeploy:GetDeployment', 'codedeploy:GetDeploymentGroup'],
      Resource: {
        'Fn::Sub': `${arn}:deploymentgroup:${names.blueGreen.codeDeployApplication}/${names.blueGreen.deploymentGroup}`,
      },
    });
    expect(bySid.DescribeGreenTaskSet).to.deep.equal({
      Sid: 'DescribeGreenTaskSet',
      Effect: 'Allow',
      Action: ['ecs:DescribeTaskSets'],
      Resource: {
        'Fn::Sub': `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task-set/${names.cluster}/${names.blueGreen.service}/*`,
      },
    });
    // serverless.ts renders cloudformation/hook-policy.ts: the sls package carries it as generated.
    expect(statements).to.deep.equal(JSON.parse(JSON.stringify(hookStatements(config))));
    expect(bySid.DescribeCanaryRevision?.Action).to.deep.equal(['ecs:DescribeServiceRevisions']);
    expect(bySid.ReadAppSpecRevision?.Resource).to.deep.equal({
      'Fn::Sub': `${arn}:application:${names.blueGreen.codeDeployApplication}`,
    });
    expect(bySid.WriteOwnLogs?.Resource).to.deep.equal({
      'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${names.hookFunction}:*`,
    });
  });

  it("creates the roles' trust policies with trustPolicy(), as every generated role's", () => {
    for (const [, role] of ofType('AWS::IAM::Role')) {
      expect(role.Properties.AssumeRolePolicyDocument).to.deep.equal(
        JSON.parse(JSON.stringify(trustPolicy('lambda.amazonaws.com', 'none'))),
      );
    }
    const lint = {
      id: 'hook' as const,
      label: 'hook',
      file: '',
      body: '',
      template: template as unknown as CfnTemplate,
    };
    expect(checkTrustGuards(lint)).to.deep.equal([]);
  });

  it('creates the log group with the configured retention, deleted with the stack and on replacement', () => {
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups.map(([, g]) => g.Properties)).to.deep.equal([
      { LogGroupName: `/aws/lambda/${names.hookFunction}`, RetentionInDays: config.logs.retentionDays },
      { LogGroupName: names.outcomeLogGroup, RetentionInDays: config.logs.retentionDays },
    ]);
    for (const [, g] of groups)
      expect(g).to.deep.include({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  it('ships one minified bundle with the ECS, CodeDeploy and ELBv2 clients it calls, within the size limit', () => {
    // One zip per function (package.individually): each Lambda loads only its own code.
    const zips = readdirSync(dir).filter((f) => f.endsWith('.zip'));
    expect(zips.sort()).to.deep.equal([`${HOOK_FUNCTION_KEY}.zip`, `${OUTCOME_FUNCTION_KEY}.zip`].sort());
    const outcome = readZip(join(dir, `${OUTCOME_FUNCTION_KEY}.zip`));
    expect(outcome.map((e) => e.name)).to.deep.equal(['hook/outcome/handler.js']);
    const zipPath = join(dir, `${HOOK_FUNCTION_KEY}.zip`);
    const size = statSync(zipPath).size;
    console.log(
      `      hook zip: ${size} bytes (${(size / 1024).toFixed(1)} KiB, limit ${HOOK_ZIP_LIMIT_BYTES})`,
    );
    expect(size).to.be.at.most(HOOK_ZIP_LIMIT_BYTES);
    const entries = readZip(zipPath);
    expect(entries.map((e) => e.name)).to.deep.equal(['hook/handler.js']);
    const code = entries[0]!.content.toString('utf8');
    // Each client is inlined at the version package-lock.json pins (its package.json travels with it
    // for the user agent), not required from the runtime's copy.
    for (const client of ['client-ecs', 'client-codedeploy', 'client-elastic-load-balancing-v2']) {
      const installed = JSON.parse(
        readFileSync(join(REPO_ROOT, 'node_modules', '@aws-sdk', client, 'package.json'), 'utf8'),
      ).version;
      expect(code, client).to.contain(`name:"@aws-sdk/${client}",version:"${installed}"`);
      expect(code, client).not.to.contain(`require("@aws-sdk/${client}")`);
    }
    // The 2025 ECS members discovery reads are in the bundled model.
    for (const member of ['resolvedConfiguration', 'testListenerRule', 'DescribeServiceRevisions']) {
      expect(code, member).to.contain(member);
    }
    // Minified: source comments are gone (this one is in hook/check.ts).
    expect(code).not.to.contain('One bad answer fails the release');
  });

  it('loads with no node_modules at all: nothing is left to the runtime', async () => {
    const alone = mkdtempSync(join(tmpdir(), 'hook-bundle-alone-'));
    try {
      const file = join(alone, 'handler.js');
      writeFileSync(file, readZip(join(dir, `${HOOK_FUNCTION_KEY}.zip`))[0]!.content);
      const script = `process.stdout.write(typeof require(${JSON.stringify(file)}).handler)`;
      const { stdout } = await run(process.execPath, ['-e', script], {
        cwd: alone,
        env: { PATH: process.env.PATH },
      });
      expect(stdout).to.equal('function');
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  });

  it('states the packaged zip size in docs/hook.md as measured (within 2 %)', () => {
    const size = statSync(join(dir, `${HOOK_FUNCTION_KEY}.zip`)).size;
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'hook.md'), 'utf8');
    const stated = /\| zip \| [\d,]+ bytes \| ([\d,]+) bytes \|/.exec(doc)?.[1];
    expect(stated, 'the zip row of docs/hook.md#package-size-and-cold-start').to.be.a('string');
    expect(Number(stated!.replace(/,/g, ''))).to.be.within(size * 0.98, size * 1.02);
  });
});

describe('hook name shared by serverless.ts and appspec.yml', () => {
  it('renders the same CodeDeployHook_ name into both for a non-default stage', () => {
    // serverless.ts as Serverless loads it, for stage staging (the default stage's `sls package`
    // above proves the function gets exactly this name).
    const config = configWith({ app: { stage: 'staging' } });
    const service = loadServerlessTs(config);
    const packaged = service.functions?.[HOOK_FUNCTION_KEY]?.name;
    const appSpec = parseYaml(renderAppSpec(config)) as { Hooks: { BeforeAllowTraffic: string }[] };
    expect(packaged).to.equal('CodeDeployHook_ecs-playground-staging');
    expect(appSpec.Hooks).to.deep.equal([{ BeforeAllowTraffic: packaged }]);
  });

  it('discovers the container the rendered appspec.yml names', () => {
    const config = DEFAULT_CONFIG;
    const rendered = renderAppSpec(config).replace(
      TASK_DEFINITION_PLACEHOLDER,
      'arn:aws:ecs:us-west-2:1:task-definition/x:1',
    );
    expect(parseAppSpec(rendered)).to.deep.equal({
      taskDefinition: 'arn:aws:ecs:us-west-2:1:task-definition/x:1',
      containerName: config.container.name,
    });
  });
});

/**
 * The real commands in a child process with an empty environment: no AWS credentials, no PATH, no
 * HOME with an AWS config. Every AWS SDK endpoint is pointed at a local trap server
 * (AWS_ENDPOINT_URL) with dummy keys, so any AWS call a command makes would reach the trap: a dry
 * run must reach it zero times, and the control test proves the trap does catch a real run's calls.
 *
 * One child process per command and purpose (each costs seconds of CPU: ts-node, and deploy's synth
 * in a child of its own); flags, refusals and every plan detail are tested in-process by
 * test/deploy/cli.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT, STACKS } from '../../config';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runScript(script: string, args: string[], env: Record<string, string>): Promise<Result> {
  const tsNode = require.resolve('ts-node/dist/bin.js');
  return run(process.execPath, [tsNode, '--transpile-only', script, ...args], env);
}

/**
 * What a user types, through npm itself: npm finds `sh` and the script's `node` on PATH (node's own
 * directory first, then the system's), and nothing else of this machine's environment.
 */
function runNpm(args: string[], env: Record<string, string>): Promise<Result> {
  const path = [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');
  return run('npm', args, { ...env, PATH: path, npm_config_update_notifier: 'false' });
}

function run(program: string, args: string[], env: Record<string, string>): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('deploy and destroy as processes', function () {
  // Each run starts ts-node (and deploy also runs the template generator): seconds, not milliseconds.
  this.timeout(120_000);

  const requests: { method?: string; url?: string; body: string }[] = [];
  let server: Server;
  let env: Record<string, string>;

  before(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        requests.push({ method: req.method, url: req.url, body });
        // STS answers errors in the query protocol's XML.
        res.writeHead(403, { 'content-type': 'text/xml' });
        res.end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>' +
            '<Message>The security token included in the request is invalid.</Message></Error>' +
            '<RequestId>trap</RequestId></ErrorResponse>',
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const home = mkdtempSync(join(tmpdir(), 'deploy-home-'));
    env = {
      HOME: home,
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'dummy-secret-for-the-local-trap',
      AWS_EC2_METADATA_DISABLED: 'true',
      // The config the commands load, first in the loader's order: never the checkout's own file.
      PLAYGROUND_CONFIG_JSON: '{}',
    };
  });
  beforeEach(() => {
    requests.length = 0;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('prints the whole deploy plan in order with --dry-run and calls no AWS API', async () => {
    const r = await runScript('scripts/deploy.ts', ['--dry-run'], env);

    expect(r.code, r.stderr).to.equal(0);
    expect(requests).to.deep.equal([]);
    const titles = r.stdout.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(titles.map((t) => t.replace(/:.*/, ''))).to.deep.equal([
      '1. generate the CloudFormation templates from the config (local, no AWS call)',
      ...STACKS.slice(0, 4).map((s, i) => `${i + 2}. ecs-playground-dev-${s}`),
      '6. deploy the hook Lambda (CodeDeploy BeforeAllowTraffic, ECS lifecycle hook) and the release-outcome check with Serverless Framework',
      '7. check that the GitHub connection is AVAILABLE (a new one is PENDING until approved in the console)',
      '8. wait until the first build has pushed a commit-tagged image to ECR',
      '9. ecs-playground-dev-service-rolling',
      '10. ecs-playground-dev-service-bluegreen',
      '11. ecs-playground-dev-service-canary',
      '12. print the load balancer URLs and the hook name',
    ]);
    expect(r.stdout).to.include('warning: github.owner is still the placeholder "your-github-user"');
    expect(r.stdout).to.include(
      '   cloudformation:CreateChangeSet {"StackName":"ecs-playground-dev-service-rolling","TemplateBody":"<contents of cloudformation/out/dev/service-rolling.json>","Parameters":[{"ParameterKey":"ImageUri","ParameterValue":"<the image the rolling service runs now, else the image another service runs, else the newest commit-tagged image in ECR, else the image step 8 waits for>"}]}\n' +
        '      (and the other fields and calls of step 2, for this stack)\n',
    );
    // The canary keeps the image its service runs, like rolling; blue/green its previous value.
    expect(r.stdout).to.include(
      '"ParameterValue":"<the image the canary service runs now, else the image another',
    );
    expect(r.stdout).to.include(
      '"ParameterValue":"<the previous value when the stack exists (UsePreviousValue), else the image another',
    );
    // The first stack step lists every call once, with every field.
    expect(r.stdout).to.include(
      '   cloudformation:CreateChangeSet {"StackName":"ecs-playground-dev-network","ChangeSetName":"deploy-<epoch ms>","ChangeSetType":"CREATE | UPDATE","TemplateBody":"<contents of cloudformation/out/dev/network.json>","Capabilities":["CAPABILITY_NAMED_IAM"],"Parameters":[],"Description":"npm run deploy"}',
    );
    expect(r.stdout.match(/cloudformation:DescribeChangeSet/g)).to.have.length(1);
    // One screen-ish: no temporary paths, nothing before the header, well under the 128 lines it was.
    expect(r.stdout.startsWith('Deploy plan: ecs-playground, stage dev, region us-west-2\n')).to.equal(true);
    expect(r.stderr).to.equal('');
    expect(r.stdout).not.to.match(/playground-templates-/);
    expect(r.stdout.split('\n').length).to.be.below(100);
  });

  it('prints the destroy plan in reverse order with the emptying steps, calling no AWS API', async () => {
    const r = await runScript('scripts/destroy.ts', ['--dry-run'], env);

    expect(r.code, r.stderr).to.equal(0);
    expect(requests).to.deep.equal([]);
    const titles = r.stdout.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(titles).to.deep.equal([
      '1. ecs-playground-dev-service-canary: delete the service-canary stack',
      '2. ecs-playground-dev-service-bluegreen: delete the service-bluegreen stack',
      '3. ecs-playground-dev-service-rolling: delete the service-rolling stack',
      '4. remove the hook Lambda with Serverless Framework',
      '5. delete every object version and delete marker in the artifact bucket (else its deletion fails)',
      '6. ecs-playground-dev-pipelines: delete the pipelines stack',
      '7. ecs-playground-dev-cluster: delete the cluster stack',
      '8. delete every image in the ECR repository (else its deletion fails)',
      '9. ecs-playground-dev-registry: delete the registry stack',
      '10. ecs-playground-dev-network: delete the network stack',
    ]);
    expect(r.stdout).to.include(
      '   s3:DeleteObjects {"Bucket":"<output ArtifactBucketName of the pipelines stack>","Delete":{"Objects":[{"Key":"<key>","VersionId":"<version id>"}],"Quiet":true}}',
    );
    expect(r.stdout).to.include(
      '   ecr:BatchDeleteImage {"repositoryName":"ecs-playground-dev","imageIds":[{"imageDigest":"<digest>"}]}',
    );
  });

  // npm takes --dry-run for itself without `--` (npm_config_dry_run=true) and drops it: the commands
  // read it back, so the slip is a dry run, never a real deploy or destroy.
  it('runs npm run deploy --dry-run (no --) as a dry run, with the cost on its first screen, calling no AWS API', async () => {
    const config = JSON.stringify({ github: { owner: 'octocat' } });
    const r = await runNpm(['run', 'deploy', '--dry-run'], { ...env, PLAYGROUND_CONFIG_JSON: config });

    expect(r.code, r.stderr).to.equal(0);
    expect(requests).to.deep.equal([]);
    const plan = r.stdout.slice(r.stdout.indexOf('Deploy plan: '));
    expect(plan.split('\n').slice(1, 4).join('\n')).to.match(
      new RegExp(
        '^DRY RUN: no AWS API is called and no credentials are needed\\.\n' +
          'note: npm took --dry-run for itself \\(npm_config_dry_run=true\\); this command honours it, as if you had typed npm run deploy -- --dry-run\n' +
          'Cost: ≈ \\$\\d+\\.\\d\\d a month while it runs and ≈ \\$0\\.\\d{3} per push through every pipeline',
      ),
    );
  });

  it('runs npm run destroy --dry-run (no --) as a dry run, calling no AWS API', async () => {
    const r = await runNpm(['run', 'destroy', '--dry-run'], env);

    expect(r.code, r.stderr).to.equal(0);
    expect(requests).to.deep.equal([]);
    expect(r.stdout).to.include(
      'Destroy plan: ecs-playground, stage dev, region us-west-2\n' +
        'DRY RUN: no AWS API is called and no credentials are needed.\n' +
        'note: npm took --dry-run for itself (npm_config_dry_run=true); this command honours it, as if you had typed npm run destroy -- --dry-run\n',
    );
  });

  it('checks the credentials with STS before any change, and stops when AWS rejects them', async () => {
    const config = JSON.stringify({ github: { owner: 'octocat' } });
    const r = await runScript('scripts/deploy.ts', [], { ...env, PLAYGROUND_CONFIG_JSON: config });

    expect(r.code).to.equal(1);
    // One line, and nothing else: on Node 20 no NodeVersionSupportWarning (scripts/command.ts).
    expect(r.stderr).to.equal(
      'error: AWS rejected the credentials (InvalidClientTokenId: The security token included in the request is invalid.): refresh them and re-run\n',
    );
    // The trap saw exactly the one STS call: the dry runs above really called nothing.
    expect(requests).to.have.length(1);
    expect(requests[0].body).to.include('Action=GetCallerIdentity');
  });
});

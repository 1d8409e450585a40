/**
 * AWS's own environment beside app.region: AWS_REGION, AWS_DEFAULT_REGION and the profile's region
 * are never the region, and a command says so when they disagree; a named profile that does not
 * exist gets its own message before any AWS call. Each test writes its own shared files in a
 * temporary HOME: nothing of this machine's ~/.aws is read.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { checkCredentials } from '../../scripts/deploy/aws/credentials';
import { missingProfileMessage, regionWarning, sharedProfiles } from '../../scripts/deploy/aws/environment';
import { deployMain, type Io } from '../../scripts/deploy/cli';
import { statusMain } from '../../scripts/status/cli';
import { configWith } from '../support/config';
import { fixtureRoot, useMocks, writeFixtureTemplates } from './fixtures';

/** A HOME whose ~/.aws holds `config` and `credentials` (when given). */
function home(files: { config?: string; credentials?: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'aws-home-'));
  mkdirSync(join(dir, '.aws'));
  if (files.config) writeFileSync(join(dir, '.aws', 'config'), files.config);
  if (files.credentials) writeFileSync(join(dir, '.aws', 'credentials'), files.credentials);
  return dir;
}

const CONFIG_FILE = [
  '[default]',
  'region = us-west-2',
  '',
  '[profile dev] # the team account',
  'region=eu-west-1',
  'sso_session = corp',
  '',
  '[sso-session corp]',
  'sso_region = us-east-1',
].join('\n');

describe("AWS's environment (scripts/deploy/aws/environment.ts)", () => {
  const m = useMocks({ sts: STSClient });
  const config = configWith({});

  it('reads the profiles of both shared files, [profile x] and [default] in config, [x] in credentials', () => {
    const HOME = home({ config: CONFIG_FILE, credentials: '[ci]\naws_access_key_id = AKIAEXAMPLE\n' });
    const profiles = sharedProfiles({ HOME });
    expect([...profiles.keys()]).to.deep.equal(['default', 'dev', 'ci']);
    expect(profiles.get('dev')).to.deep.equal({ region: 'eu-west-1', sso_session: 'corp' });
    // Without HOME (and without AWS_CONFIG_FILE), no file of this machine is read.
    expect(sharedProfiles({}).size).to.equal(0);
  });

  it('warns naming both when AWS_REGION, AWS_DEFAULT_REGION or the profile region disagree with app.region', () => {
    expect(regionWarning(config, { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'us-west-2' })).to.equal(
      undefined,
    );
    expect(regionWarning(config, { AWS_REGION: 'eu-west-1' })).to.equal(
      'AWS_REGION=eu-west-1 but app.region=us-west-2: the kit uses app.region (it names every stack and template); to use eu-west-1, set app.region in playground.config.json or PLAYGROUND_REGION=eu-west-1',
    );
    const HOME = home({ config: CONFIG_FILE });
    expect(regionWarning(config, { HOME, AWS_PROFILE: 'dev', AWS_DEFAULT_REGION: 'ap-south-1' })).to.match(
      /^AWS_DEFAULT_REGION=ap-south-1, the region of AWS profile dev=eu-west-1 but app\.region=us-west-2: .* PLAYGROUND_REGION=ap-south-1$/,
    );
    expect(regionWarning(config, { HOME })).to.equal(undefined);
  });

  it('names a profile that does not exist, with the files read and the profiles they hold', () => {
    const HOME = home({ config: CONFIG_FILE });
    expect(missingProfileMessage({ HOME, AWS_PROFILE: 'dev' })).to.equal(undefined);
    expect(missingProfileMessage({ HOME })).to.equal(undefined);
    expect(missingProfileMessage({ HOME, AWS_PROFILE: 'nonexistent' })).to.equal(
      `AWS_PROFILE=nonexistent names no profile in ${HOME}/.aws/config or ${HOME}/.aws/credentials (profiles there: default, dev): set AWS_PROFILE to one of them, or create it with \`aws configure --profile nonexistent\` (or \`aws configure sso --profile nonexistent\`)`,
    );
  });

  it('fails the credentials check on a missing profile before calling STS', async () => {
    m.sts.on(GetCallerIdentityCommand).rejects(new Error('must not be called'));
    const HOME = home({});
    let message = '';
    await checkCredentials(
      { region: 'us-west-2', clients: { sts: new STSClient({}) } },
      {
        HOME,
        AWS_PROFILE: 'nonexistent',
      },
    ).catch((err: Error) => {
      message = err.message;
    });
    expect(message).to.match(/^AWS_PROFILE=nonexistent names no profile in .* \(no profile there\): /);
    expect(m.sts.calls()).to.have.length(0);
  });

  it('says which profile gave no credentials when AWS_PROFILE names one that exists', async () => {
    const noCredentials = Object.assign(new Error('Token is expired'), { name: 'CredentialsProviderError' });
    m.sts.on(GetCallerIdentityCommand).rejects(noCredentials);
    const HOME = home({ config: CONFIG_FILE });
    let message = '';
    await checkCredentials(
      { region: 'us-west-2', clients: { sts: new STSClient({ region: 'us-west-2' }) } },
      { HOME, AWS_PROFILE: 'dev' },
    ).catch((err: Error) => {
      message = err.message;
    });
    expect(message).to.equal(
      'AWS profile dev (AWS_PROFILE) gave no credentials (Token is expired): run `aws sso login --profile dev` for an SSO profile, or `aws configure --profile dev`, and re-run; `--dry-run` needs none',
    );
  });

  it('prints the region warning in a deploy dry run, under its header', async () => {
    const out: string[] = [];
    const io: Io = {
      out: (l) => out.push(l),
      err: (l) => out.push(`stderr: ${l}`),
      env: { AWS_REGION: 'eu-west-1' },
      interactive: false,
      ask: async () => '',
      synth: async (_env, dir) => writeFixtureTemplates(dir),
      runtime: () => {
        throw new Error('a dry run builds no AWS client');
      },
      root: fixtureRoot({ github: { owner: 'octocat' } }),
    };
    expect(await deployMain(['--dry-run'], io)).to.equal(0);
    expect(out.slice(0, 3)).to.deep.equal([
      'Deploy plan: ecs-playground, stage dev, region us-west-2',
      'DRY RUN: no AWS API is called and no credentials are needed.',
      'warning: AWS_REGION=eu-west-1 but app.region=us-west-2: the kit uses app.region (it names every stack and template); to use eu-west-1, set app.region in playground.config.json or PLAYGROUND_REGION=eu-west-1',
    ]);
  });

  it('stops npm run status on a missing profile with its own message, creating no AWS client', async () => {
    const err: string[] = [];
    const code = await statusMain([], {
      out: () => {},
      err: (l) => err.push(l),
      env: { HOME: home({ credentials: '[default]\n' }), AWS_PROFILE: 'nonexistent' },
      isTTY: false,
      config: () => config,
      clients: () => {
        throw new Error('no AWS client may be created');
      },
      now: () => 0,
      probe: () => {
        throw new Error('nothing may be probed');
      },
    });
    expect(code).to.equal(1);
    expect(err).to.have.length(1);
    expect(err[0]).to.match(
      /^error: AWS_PROFILE=nonexistent names no profile in .*\/\.aws\/config or .*\/\.aws\/credentials \(profiles there: default\): set AWS_PROFILE to one of them/,
    );
  });
});

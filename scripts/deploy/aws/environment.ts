/**
 * AWS's own environment beside the kit's config: the profile (AWS_PROFILE) and the regions the AWS
 * tools read (AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`).
 *
 * The kit's region is app.region (or PLAYGROUND_REGION, or --stage's config): every name, template
 * and client is built for it, and the commands pass it to every AWS client and `aws` command
 * explicitly, so none of the variables above changes where anything goes. When one of them disagrees,
 * the commands say so (a person who set AWS_REGION=eu-west-1 expects eu-west-1), naming both.
 *
 * The files: https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html — the config file
 * (AWS_CONFIG_FILE, default ~/.aws/config) names a profile `[profile name]` (`[default]` for the
 * default one), the credentials file (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials)
 * `[name]`; AWS_PROFILE selects one. Precedence of the AWS CLI: AWS_REGION, then AWS_DEFAULT_REGION,
 * then the profile's region (https://docs.aws.amazon.com/sdkref/latest/guide/feature-region.html,
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlaygroundConfig } from '../../../config';

type Env = Record<string, string | undefined>;

/**
 * The two shared files, from `env` only (HOME, or USERPROFILE on Windows, as the SDK does): an
 * environment without either (a test's) reads no file of this machine.
 */
function sharedFiles(env: Env): { config?: string; credentials?: string } {
  const home = env.HOME || env.USERPROFILE;
  return {
    config: env.AWS_CONFIG_FILE || (home && join(home, '.aws', 'config')),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || (home && join(home, '.aws', 'credentials')),
  };
}

/** Profile name → its settings, from both shared files (the config file's win for `region`). */
export function sharedProfiles(env: Env): Map<string, Record<string, string>> {
  const files = sharedFiles(env);
  const profiles = new Map<string, Record<string, string>>();
  const read = (file: string | undefined, prefixed: boolean) => {
    if (!file || !existsSync(file)) return;
    let current: Record<string, string> | undefined;
    for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
      const line = raw.replace(/^\s+|\s*[#;].*$/g, '');
      const section = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
      if (section) {
        // In the config file a named profile is `[profile name]`; `[default]` stands alone; other
        // sections (`[sso-session x]`, `[services x]`) are not profiles.
        const m = /^(?:profile\s+(\S+)|(default))$/.exec(section[1]);
        const name = prefixed ? (m?.[1] ?? m?.[2]) : section[1];
        current = name ? (profiles.get(name) ?? {}) : undefined;
        if (name && current) profiles.set(name, current);
        continue;
      }
      const kv = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
      if (current && kv) current[kv[1]] ??= kv[2];
    }
  };
  read(files.config, true);
  read(files.credentials, false);
  return profiles;
}

/** The profile AWS_PROFILE names (AWS_DEFAULT_PROFILE: the AWS CLI's older name), if any. */
function namedProfile(env: Env): { name: string; variable: string } | undefined {
  for (const variable of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE']) {
    const name = env[variable];
    if (name) return { name, variable };
  }
  return undefined;
}

/**
 * The message for a profile that does not exist (every AWS call would fail with "could not load
 * credentials"), or undefined. Says which files were read and which profiles they hold.
 */
export function missingProfileMessage(env: Env): string | undefined {
  const named = namedProfile(env);
  if (!named) return undefined;
  const profiles = sharedProfiles(env);
  if (profiles.has(named.name)) return undefined;
  const { config, credentials } = sharedFiles(env);
  const files = [config ?? '~/.aws/config', credentials ?? '~/.aws/credentials'];
  const known = [...profiles.keys()];
  return (
    `${named.variable}=${named.name} names no profile in ${files.join(' or ')} ` +
    `(${known.length ? `profiles there: ${known.join(', ')}` : 'no profile there'}): ` +
    `set ${named.variable} to one of them, or create it with \`aws configure --profile ${named.name}\` ` +
    `(or \`aws configure sso --profile ${named.name}\`)`
  );
}

/**
 * A warning when AWS's region settings disagree with app.region, naming both; undefined when they
 * agree or none is set. `source` says where app.region came from (the config loader's source).
 */
export function regionWarning(config: PlaygroundConfig, env: Env): string | undefined {
  const region = config.app.region;
  const profile = namedProfile(env)?.name ?? 'default';
  const profileRegion = sharedProfiles(env).get(profile)?.region;
  const others = [
    ['AWS_REGION', env.AWS_REGION],
    ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION],
    [`the region of AWS profile ${profile}`, profileRegion],
  ].flatMap(([name, value]) => (value && value !== region ? [`${name}=${value}`] : []));
  if (!others.length) return undefined;
  const first = others[0].split('=')[1];
  return (
    `${others.join(', ')} but app.region=${region}: the kit uses app.region (it names every stack ` +
    `and template); to use ${first}, set app.region in playground.config.json or PLAYGROUND_REGION=${first}`
  );
}

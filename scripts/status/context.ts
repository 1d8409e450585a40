/**
 * What every describer gets: the AWS gateway, the config and its names, a clock, the probe, and a
 * cache for answers that never change (a task definition revision, a deployment configuration, the
 * verdict of a finished hook), so `npm run watch` does not ask AWS for them again every refresh.
 */
import type { Names, PlaygroundConfig } from '../../config';
import type { AwsGateway } from './aws';
import type { ProbeResult } from './probe';

export interface DescribeContext {
  aws: AwsGateway;
  config: PlaygroundConfig;
  names: Names;
  /** Epoch ms. */
  now(): number;
  probe(url: string): Promise<ProbeResult>;
  cache: Map<string, unknown>;
}

export async function cached<T>(ctx: DescribeContext, key: string, load: () => Promise<T>): Promise<T> {
  if (ctx.cache.has(key)) return ctx.cache.get(key) as T;
  const value = await load();
  ctx.cache.set(key, value);
  return value;
}

export function isoTime(d: Date | number | undefined): string | undefined {
  if (d === undefined) return undefined;
  return new Date(d).toISOString();
}

/**
 * `--set path=value`, the flag `plan` and `rehearse` share to try a setting without editing a file:
 * the pairs become the config loader's overrides (resolveConfig validates them like a file).
 */
import type { ConfigOverrides } from '../../config';
import { UsageError } from './args';

/** `a.b=v` pairs as a nested overrides object; `v` is JSON when it parses, else a string. */
export function settingsOverrides(pairs: readonly string[]): ConfigOverrides | undefined {
  if (!pairs.length) return undefined;
  const root: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const path = eq > 0 ? pair.slice(0, eq).split('.') : [];
    if (!path.length || path.some((k) => !k)) {
      throw new UsageError(
        `--set wants <path>=<value>, such as healthCheck.intervalSeconds=5 (got "${pair}")`,
      );
    }
    let node = root;
    for (const key of path.slice(0, -1)) {
      node[key] = typeof node[key] === 'object' && node[key] !== null ? node[key] : {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = parseValue(pair.slice(eq + 1));
  }
  return root as ConfigOverrides;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

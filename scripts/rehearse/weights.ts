/**
 * A forward's weights as the weights map holds them: per target group of the load balancer, the
 * cumulative threshold in [0, 1000] below which a request's random draw goes there (haproxy-config.ts).
 * Weights 90/10 over groups A, B → A 900, B 1000; a group the forward does not name gets the
 * threshold of the one before it, so it takes nothing.
 */
export function thresholds(
  weights: readonly { tg: string; weight: number }[],
  groups: readonly string[],
): Map<string, number> {
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  const out = new Map<string, number>();
  let cumulative = 0;
  for (const tg of groups) {
    cumulative += weights.filter((w) => w.tg === tg).reduce((sum, w) => sum + w.weight, 0);
    out.set(tg, total === 0 ? 0 : Math.round((1000 * cumulative) / total));
  }
  return out;
}

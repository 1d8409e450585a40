/**
 * "Did you mean …?": the name a typo most likely meant, for every place that checks names the user
 * typed (command-line flags, scripts/cli/args.ts; config fields, config/load.ts).
 */

/** The candidate `typed` most likely meant: at most 2 edits away, or one is a prefix of the other. */
export function closestName(typed: string, candidates: readonly string[]): string | undefined {
  if (!typed) return undefined;
  const scored = candidates
    .map((name) => ({
      name,
      d: name.startsWith(typed) || typed.startsWith(name) ? 1 : distance(typed, name),
    }))
    .filter(({ d }) => d <= 2)
    .sort((a, b) => a.d - b.d);
  return scored[0]?.name;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

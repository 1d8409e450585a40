/**
 * The bounds of `npm run watch`, in one place (docs/status.md#watch quotes them; tests assert them).
 *
 * Load balancers: at most `rate` GETs of /version per second to each (default 5, at most 10), one per
 * tick on a fixed schedule that never catches up after a slow answer, for at most `--for` (default
 * 15 min, at most 60 min): at most 10 × 3600 = 36,000 requests per load balancer in the worst case.
 * AWS: the same read calls as `npm run status`, refreshed every 20 s, hard-capped at
 * AWS_CALLS_PER_MINUTE in any 60 s (a call over the cap is skipped, not sent).
 */
export const WATCH_LIMITS = {
  rate: { default: 5, min: 1, max: 10 },
  forSeconds: { default: 15 * 60, min: 10, max: 60 * 60 },
  settleSeconds: { default: 30, min: 5, max: 600 },
  /** Seconds between two AWS refreshes. */
  awsEverySeconds: 20,
  /** Hard cap on AWS API calls in any 60 s window. */
  awsCallsPerMinute: 90,
  /** Seconds of answers the live shares are computed over. */
  windowSeconds: 10,
  /** Answers a settle window needs at least, so that two lucky answers do not end the watch. */
  settleMinAnswers: 10,
} as const;

export const WATCH_USER_AGENT = 'ecs-deploy-playground-watch/1 (+npm run watch; bounded rate)';

/** `90s`, `10m`, `1h`, `1m30s` or plain seconds → seconds. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!m || !text) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

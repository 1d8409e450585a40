/**
 * What users do during the release: a steady, open-loop stream of GETs of /version at `rate` per
 * second to a production listener — one request every 1/rate s whether or not the last one was
 * answered, so a slow or dead target shows as latency and errors instead of as fewer requests.
 * Each request is the watch's probe (scripts/status/probe.ts: a new connection each, as separate
 * users would open, status and version recorded), so the samples are the watch's and its chart
 * draws them.
 */
import { VERSION_PATH } from '../../config/contracts/app';
import { probeVersion } from '../status/probe';
import type { Sample } from '../watch/stats';

export const REHEARSAL_USER_AGENT = 'ecs-deploy-playground-rehearse/1 (+npm run rehearse)';

export interface Load {
  /** Stops sending; resolves with every sample once the requests in flight are answered. */
  stop(): Promise<Sample[]>;
}

export function steadyLoad(strategy: string, baseUrl: string, rate: number): Load {
  const url = `${baseUrl}${VERSION_PATH}`;
  const samples: Sample[] = [];
  const inFlight = new Set<Promise<void>>();
  const intervalMs = 1000 / rate;
  const started = Date.now();
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    // As many requests as the schedule says by now: a late timer catches up instead of slipping.
    const due = Math.floor((Date.now() - started) / intervalMs) + 1;
    while (sent < due) {
      sent++;
      const at = Date.now();
      const p = probeVersion(url, { userAgent: REHEARSAL_USER_AGENT }).then((r) => {
        samples.push({
          at,
          strategy,
          url,
          status: r.status,
          version: r.version,
          latencyMs: r.latencyMs,
          error: r.error,
        });
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    timer = setTimeout(tick, intervalMs);
  };
  tick();
  return {
    async stop() {
      clearTimeout(timer);
      await Promise.all(inFlight);
      return samples.sort((a, b) => a.at - b.at);
    },
  };
}

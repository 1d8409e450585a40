/**
 * Compressed time: `--speed N` divides every wait AWS would make (health-check intervals, canary and
 * bake minutes, deregistration delay, termination wait, callBackDelay, alarm periods); `--speed 1` is
 * real time. Each wait has a floor below which a busy machine would turn it into a false failure (a
 * health check needs time to be answered): the report states the floors.
 */
export interface Clock {
  speed: number;
  /** Real milliseconds (epoch), the clock of the load samples too. */
  now(): number;
  /** Waits real milliseconds. */
  sleepMs(ms: number): Promise<void>;
}

export function realClock(speed: number): Clock {
  return {
    speed,
    now: () => Date.now(),
    sleepMs: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  };
}

/** An AWS duration in real milliseconds at the clock's speed, at least `floorMs`. */
export function compressedMs(clock: Clock, awsMs: number, floorMs = 0): number {
  return Math.max(floorMs, Math.round(awsMs / clock.speed));
}

/** Waits an AWS duration (in seconds), compressed. */
export function awsWait(clock: Clock, awsSeconds: number, floorMs = 0): Promise<void> {
  return clock.sleepMs(compressedMs(clock, awsSeconds * 1000, floorMs));
}

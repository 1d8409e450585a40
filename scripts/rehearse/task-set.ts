/**
 * The tasks of one revision in one target group, kept at a desired count the way the ECS service
 * scheduler keeps them:
 * - a task is registered with the target group once it runs, and deregistered (with the delay)
 *   before it is stopped;
 * - a task whose essential container exits is a failed task, and so is one the load balancer
 *   reports unhealthy once the health check grace period is over: ECS stops it and starts another
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_definition_parameters.html,
 *   `healthCheckGracePeriodSeconds`);
 * - the failed tasks are what the deployment circuit breaker counts
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html).
 */
import type { Balancer } from './balancer';
import { type Clock, compressedMs } from './clock';
import type { Release, Task, TaskRunner } from './tasks';

export interface TaskSetOptions {
  label: string;
  release: Release | 'old';
  tg: string;
  balancer: Balancer;
  runner: TaskRunner;
  clock: Clock;
  graceSeconds: number;
  stopTimeoutSeconds: number;
  /** Replace failed tasks (ECS does; off once a deployment stops this revision). */
  replace: boolean;
}

export class TaskSet {
  readonly tasks: Task[] = [];
  readonly failures: string[] = [];
  /** Real ms each launch took, spawn to listening (or exit): the rehearsal's own task start. */
  readonly launchesMs: number[] = [];
  desired = 0;
  private started = 0;
  /** Failed tasks still being stopped (deregistered, then killed). */
  private readonly retiring = new Set<Promise<void>>();

  constructor(private readonly o: TaskSetOptions) {}

  get tg(): string {
    return this.o.tg;
  }

  /** Starts tasks up to `count`; `inService`: the steady state before the release, healthy at once. */
  async scaleTo(count: number, inService = false): Promise<void> {
    this.desired = count;
    await this.launchUpTo(count, inService);
  }

  /** Starts the missing tasks side by side, as ECS places them, each registered once it runs. */
  private async launchUpTo(count: number, inService: boolean): Promise<void> {
    const missing = count - this.tasks.length;
    const ids = Array.from({ length: Math.max(0, missing) }, () => `${this.o.label}-${++this.started}`);
    await Promise.all(
      ids.map(async (id) => {
        const spawned = this.o.clock.now();
        const task = await this.o.runner.start(id, this.o.release);
        this.launchesMs.push(this.o.clock.now() - spawned);
        this.tasks.push(task);
        await this.o.balancer.register(this.o.tg, task, inService);
      }),
    );
  }

  /** Tasks the target group reports healthy. */
  async healthy(): Promise<number> {
    const health = await this.o.balancer.health(this.o.tg);
    return this.tasks.filter((t) => health.get(t.id) === 'healthy').length;
  }

  /** One pass of the scheduler: failed tasks stopped; returns the failures of this pass (replenish() replaces them). */
  async supervise(): Promise<string[]> {
    const found: string[] = [];
    const health = await this.o.balancer.health(this.o.tg);
    const graceMs = compressedMs(this.o.clock, this.o.graceSeconds * 1000);
    const failed: Task[] = [];
    for (const task of [...this.tasks]) {
      let why: string | undefined;
      if (task.exit && !task.stopping)
        why = `task ${task.id} stopped: essential container exited (${task.exit})`;
      else if (health.get(task.id) === 'unhealthy' && this.o.clock.now() - task.startedAt >= graceMs) {
        why = `task ${task.id} failed the ELB health checks of its target group`;
      }
      if (!why) continue;
      found.push(why);
      this.failures.push(why);
      this.tasks.splice(this.tasks.indexOf(task), 1);
      failed.push(task);
    }
    // Counted as failed now, stopped in the background as ECS does: the circuit breaker counts a
    // task when it fails, not once a busy machine has finished the HAProxy calls that remove it.
    for (const task of failed) {
      const stopping = this.retire(task);
      this.retiring.add(stopping);
      // Settled here; a failure still surfaces where replenish() or stopAll() awaits it.
      stopping.then(
        () => this.retiring.delete(stopping),
        () => undefined,
      );
    }
    return found;
  }

  /** Starts tasks for the failed ones, unless this revision is being stopped. */
  async replenish(): Promise<void> {
    await Promise.all(this.retiring);
    if (this.o.replace) await this.launchUpTo(this.desired, false);
  }

  /** Stops `count` tasks (the oldest first), each drained before it stops. */
  async scaleDown(count: number): Promise<void> {
    this.desired = Math.max(0, this.desired - count);
    const tasks = this.tasks.splice(0, count);
    await Promise.all(tasks.map((t) => this.retire(t)));
  }

  /** Stops every task: deregistered (drained) first, then SIGTERM, SIGKILL after the stop timeout. */
  async stopAll(): Promise<void> {
    this.o.replace = false;
    this.desired = 0;
    const tasks = this.tasks.splice(0);
    await Promise.all([...tasks.map((t) => this.retire(t)), ...this.retiring]);
  }

  private async retire(task: Task): Promise<void> {
    task.stopping = true;
    await this.o.balancer.deregister(this.o.tg, task);
    await this.o.runner.stop(task, compressedMs(this.o.clock, this.o.stopTimeoutSeconds * 1000, 500));
  }
}

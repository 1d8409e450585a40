/**
 * One load balancer of the rehearsal at run time: its routes' current actions (what DescribeRules
 * and DescribeListeners answer, and what the weights map holds) and its targets, changed only the
 * ways the ELBv2 API changes an ALB. ECS and CodeDeploy (control/) call these; so does the stand-in
 * for AWS (aws/), which reads the same state the hook then checks against the real routing.
 */
import type { ActionModel, LoadBalancerModel, RouteModel, TargetGroupModel } from './alb';
import { type Clock, compressedMs } from './clock';
import type { Haproxy } from './haproxy';
import { backendOf, serverCheckOptions, weightKey } from './haproxy-config';
import type { Task } from './tasks';
import { thresholds } from './weights';

/** A target's health as an ALB reports it (DescribeTargetHealth's states). */
export type TargetHealth = 'initial' | 'healthy' | 'unhealthy' | 'draining';

export class Balancer {
  /** The current action of every route (rules and default actions), by route id. */
  readonly actions = new Map<string, ActionModel>();
  /** Registered targets per target group id (task id → task). */
  readonly targets = new Map<string, Map<string, Task>>();
  private readonly everHealthy = new Set<string>();
  private readonly registeredAt = new Map<string, number>();
  /** Every time a target was seen unhealthy (UnHealthyHostCount's Maximum over a period counts them). */
  readonly unhealthySeen: { at: number; tg: string; task: string }[] = [];

  constructor(
    readonly model: LoadBalancerModel,
    readonly ports: Map<string, number>,
    private readonly haproxy: Haproxy,
    private readonly weightsMap: string,
    private readonly clock: Clock,
  ) {
    for (const listener of model.listeners) for (const r of listener.routes) this.actions.set(r.id, r.action);
    for (const tg of model.targetGroups) this.targets.set(tg.id, new Map());
  }

  tg(id: string): TargetGroupModel {
    const tg = this.model.targetGroups.find((t) => t.id === id);
    if (!tg) throw new Error(`${this.model.id}: no target group ${id}`);
    return tg;
  }

  route(id: string): RouteModel {
    const route = this.model.listeners.flatMap((l) => l.routes).find((r) => r.id === id);
    if (!route) throw new Error(`${this.model.id}: no listener or rule ${id}`);
    return route;
  }

  /** The loopback URL of a listener (by its logical id). */
  url(listenerId: string): string {
    return `http://127.0.0.1:${this.ports.get(listenerId)}`;
  }

  /** Writes every forward's weights into HAProxy (at start, and after each change). */
  async applyAll(): Promise<void> {
    for (const [id, action] of this.actions)
      if (action.type === 'forward') await this.forward(id, action.targets);
  }

  /** ModifyListener / ModifyRule: the route forwards by these weights from now on. */
  async forward(routeId: string, weights: { tg: string; weight: number }[]): Promise<void> {
    this.actions.set(routeId, { type: 'forward', targets: weights });
    const cut = thresholds(
      weights,
      this.model.targetGroups.map((t) => t.id),
    );
    for (const [tg, value] of cut) await this.haproxy.setMap(this.weightsMap, weightKey(routeId, tg), value);
  }

  /** The weights a route forwards with now (0 for a target group it does not name). */
  weightOf(routeId: string, tg: string): number {
    const action = this.actions.get(routeId);
    if (action?.type !== 'forward') return 0;
    return action.targets.filter((t) => t.tg === tg).reduce((a, t) => a + t.weight, 0);
  }

  /** RegisterTargets; `inService`: a target of the steady state before the release. */
  async register(tgId: string, task: Task, inService = false): Promise<void> {
    const tg = this.tg(tgId);
    const options = serverCheckOptions(tg.healthCheck, this.clock);
    const backend = backendOf(this.model, tg);
    if (inService) await this.haproxy.registerInService(backend, task.id, task.port, options);
    else await this.haproxy.register(backend, task.id, task.port, options);
    this.targets.get(tgId)!.set(task.id, task);
    this.registeredAt.set(`${tgId}/${task.id}`, this.clock.now());
  }

  /**
   * DeregisterTargets: no new requests; the target is removed when it has no request in flight and
   * no connection open, or when the deregistration delay is over, whichever comes first
   * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay).
   */
  async deregister(tgId: string, task: Task): Promise<void> {
    const tg = this.tg(tgId);
    const backend = backendOf(this.model, tg);
    if (!this.targets.get(tgId)!.has(task.id)) return;
    await this.haproxy.drain(backend, task.id);
    const until = this.clock.now() + compressedMs(this.clock, tg.deregistrationDelaySeconds * 1000, 200);
    while (this.clock.now() < until) {
      // A fresh read, after the drain: a shared earlier one could miss a request still in flight, which
      // `shutdown sessions` would then cut.
      const row = (await this.haproxy.stats(true)).find((r) => r.proxy === backend && r.server === task.id);
      // No request in flight and no connection open: ELB completes the deregistration at once.
      if (!row || (row.scur === 0 && row.connections === 0)) break;
      await this.clock.sleepMs(25);
    }
    await this.haproxy.remove(backend, task.id);
    this.targets.get(tgId)!.delete(task.id);
  }

  /**
   * HAProxy counts no failed check of a server that never was up, so a new target is unhealthy once
   * its last check failed and it has been registered for `unhealthy threshold` check intervals.
   */
  private failedLongEnough(tgId: string, key: string, checkStatus: string): boolean {
    const hc = this.tg(tgId).healthCheck;
    const failing = /^(L4CON|L4TOUT|L6|L7STS|L7TOUT|L7RSP|L7OKC|SOCKERR)/.test(checkStatus);
    const since = this.clock.now() - (this.registeredAt.get(key) ?? this.clock.now());
    return (
      failing && since >= compressedMs(this.clock, hc.intervalSeconds * 1000, 50) * hc.unhealthyThreshold
    );
  }

  /** DescribeTargetHealth for one target group: task id → state. */
  async health(tgId: string): Promise<Map<string, TargetHealth>> {
    const backend = backendOf(this.model, this.tg(tgId));
    const rows = (await this.haproxy.stats()).filter((r) => r.proxy === backend);
    const out = new Map<string, TargetHealth>();
    for (const id of this.targets.get(tgId)!.keys()) {
      const row = rows.find((r) => r.server === id);
      const key = `${tgId}/${id}`;
      let state: TargetHealth = 'initial';
      if (!row) state = 'draining';
      else if (row.status.startsWith('DRAIN') || row.status.startsWith('MAINT')) state = 'draining';
      else if (row.status.startsWith('UP')) state = 'healthy';
      else if (this.everHealthy.has(key) || this.failedLongEnough(tgId, key, row.checkStatus)) {
        // One that was healthy and went down, or a new one failing its checks for `unhealthy threshold` intervals.
        state = 'unhealthy';
      }
      if (state === 'healthy') this.everHealthy.add(key);
      if (state === 'unhealthy') this.unhealthySeen.push({ at: this.clock.now(), tg: tgId, task: id });
      out.set(id, state);
    }
    return out;
  }
}

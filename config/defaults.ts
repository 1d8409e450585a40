/**
 * The checked-in defaults. Every value says why it is what it is; change them through an
 * overrides file or the environment (see load.ts), not here, unless the default itself is wrong.
 */
import { PLACEHOLDER_GITHUB_OWNER, type PlaygroundConfig } from './schema';

export const DEFAULT_CONFIG: PlaygroundConfig = {
  app: {
    name: 'ecs-playground',
    stage: 'dev',
    stages: ['dev', 'staging', 'prod'],
    region: 'us-west-2', // the original playground's region
    // All three: the playground exists to compare them side by side on the same app and hook. Each
    // costs an ALB, 2 tasks and a build per push (scripts/deploy/cost.ts): leave out what you don't compare.
    strategies: ['rolling', 'bluegreen', 'canary'],
  },
  container: {
    name: 'web',
    port: 8080, // the original app's port
    cpu: 256, // 0.25 vCPU, as the original: the smallest Fargate size
    memory: 512, // MiB; the smallest memory allowed with 256 CPU units
    // X86_64 so the image built on a developer's x86 laptop runs as-is; ARM64 (Graviton) is ~20 % cheaper.
    architecture: 'X86_64',
    // The app drains in-flight requests in well under 10 s; 30 s leaves margin without making a stuck
    // task hold a deployment for ECS's default 30 s + more. Fargate's maximum is 120 s.
    stopTimeoutSeconds: 30,
  },
  service: {
    desiredCount: 2, // two tasks, one per AZ: survives an AZ or a task failure
    // 100/200: a rolling deploy starts all new tasks before stopping any old one, so capacity
    // never drops below the desired count (safest, and fast for 2 small tasks).
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    // Node starts in < 1 s; 30 s covers image pull jitter before ALB health checks may kill a task.
    healthCheckGracePeriodSeconds: 30,
  },
  healthCheck: {
    path: '/',
    // 10 s × 2 healthy checks: a new task is in service ~20 s after it starts, instead of
    // 30 s × 5 = 150 s with ALB defaults; the app answers `/` in microseconds, so this is cheap.
    intervalSeconds: 10,
    timeoutSeconds: 5,
    healthyThresholdCount: 2,
    // 3 failures (30 s) before a target is unhealthy: one slow answer during a GC pause does not
    // take a task out, a crashed or 500-answering task is gone in half a minute.
    unhealthyThresholdCount: 3,
  },
  loadBalancer: {
    // ALB default; the app's keep-alive timeout is derived from it (must be longer, see app/server.ts).
    idleTimeoutSeconds: 60,
    // Requests take milliseconds; 30 s lets any in-flight and keep-alive request finish, while the
    // ALB default of 300 s adds ~5 minutes to every deployment for nothing.
    deregistrationDelaySeconds: 30,
    // Tasks are identical and requests tiny: round robin is the predictable default.
    algorithm: 'round_robin',
    testListenerPort: 8080,
    // The setup AWS documents for CodeDeploy: the test listener's default action forwards, and
    // CodeDeploy re-points it to green before the hook runs. Anyone who finds the port sees an
    // unreleased version for the few minutes of a deployment. 'header-token' hides it behind a
    // per-stack token rule: hardening whose rule re-pointing AWS does not document, so confirm it
    // with one real deployment first (the hook fails at once, naming the rule, if it is not re-pointed).
    testListenerAccess: 'open',
  },
  rolling: {
    // A healthy rolling deploy of 2 tasks takes 2-3 minutes with the timings above; 15 minutes
    // leaves room for the circuit breaker's rollback instead of the 60-minute action default.
    deploymentTimeoutMinutes: 15,
  },
  blueGreen: {
    deploymentConfig: 'CodeDeployDefault.ECSCanary10Percent5Minutes', // the original's choice
    // Keep blue tasks 5 minutes after the full shift: a late alarm can still roll back instantly
    // by re-routing, while the console default (60 min) doubles the task bill for an hour per deploy.
    blueTerminationWaitMinutes: 5,
  },
  ecsCanary: {
    // The same shape as the blue/green pipeline's CodeDeployDefault.ECSCanary10Percent5Minutes, so the
    // two canaries compare like for like: 10 % of users for 5 minutes, then everyone.
    canaryPercent: 10,
    canaryBakeMinutes: 5,
    // Keep the old revision 5 minutes after the full shift (as blueGreen.blueTerminationWaitMinutes):
    // a late alarm still rolls back by re-routing, at the price of 5 minutes of doubled tasks.
    bakeTimeMinutes: 5,
    // A deployment takes ~20 minutes with the bake times above (config/ecs-canary.ts ecsCanaryMinutes);
    // 30 leaves room for a slow start and a rollback, within the action's limit of 60.
    deploymentTimeoutMinutes: 30,
  },
  alarms: {
    // A healthy release answers no 5xx at all; 5 in a minute is a signal, not noise.
    target5xxThreshold: 5,
    elb5xxThreshold: 5,
    periodSeconds: 60, // ALB publishes its metrics per minute
    evaluationPeriods: 1, // roll back within ~1-2 minutes of the first bad minute
  },
  hook: {
    // 10 probes over 2 green tasks: with round robin each task is seen ~5 times.
    probeCount: 10,
    requestTimeoutMs: 2000, // the app answers in milliseconds; 2 s means "hung"
    connectRetries: 2,
    checkHealthPath: true,
    // Worst case (config/hook-budget.ts): 15 s discovery + 10 rounds × 2 paths × (3 tries × 2 s
    // + 0.3 s of pauses) = 141 s; 9 s more absorb scheduling delays. Only a slow but correct green
    // gets near it: a healthy one is judged in about a second, a broken one at its first bad answer.
    timeBudgetSeconds: 150,
    // Time kept for the status report after the budget: at most 4 tries × 3 s SDK request timeout
    // + 2.8 s of backoff (hook/report.ts) = 14.8 s, so 15 s always leaves time to report.
    reportReserveSeconds: 15,
    memoryMb: 256,
    // ECS calls the hook again after IN_PROGRESS: a healthy release is judged in about a second, a slow
    // one keeps answering IN_PROGRESS every 30 s of probing, so each invocation stays short and visible
    // in the service deployment; 30 s also covers one hung request with all its tries (6.3 s).
    ecsInvocationSeconds: 30,
    // ECS's default is 30 s; 10 s keeps a slow check from adding minutes of waiting between slices.
    ecsCallBackDelaySeconds: 10,
  },
  github: {
    owner: PLACEHOLDER_GITHUB_OWNER,
    repo: 'ecs-deploy-playground',
    branch: 'main',
  },
  logs: {
    retentionDays: 14, // two weeks of logs to debug a release; older logs cost storage for nothing
  },
  network: {
    vpcCidr: '10.0.0.0/16',
    publicSubnetCidrs: ['10.0.0.0/24', '10.0.1.0/24'],
    privateSubnetCidrs: ['10.0.10.0/24', '10.0.11.0/24'],
    natGateways: false, // ~$32/month per NAT gateway plus data: off; tasks get public IPs instead
  },
  cluster: {
    containerInsights: false, // extra CloudWatch metrics cost money; switch on when you need them
  },
  registry: {
    keepImages: 30, // enough commits to roll back days of work; each image is ~50 MB of storage
  },
  build: {
    // 2 vCPU / 3 GB: what one build takes (npm ci, npm test, the Docker build, the push) is the model
    // BUILD_PHASES in config/build-phases.ts; `npm run plan` prints it.
    computeType: 'BUILD_GENERAL1_SMALL',
    timeoutMinutes: 20,
  },
  pipelines: {
    artifactExpiryDays: 30,
  },
};

/**
 * What the stand-in (standin.ts) answers, read from the rehearsal's own state: the load balancers'
 * live routes (balancer.ts), the task definitions, service revisions and CodeDeploy deployments
 * the control planes (control/) register. The shapes are the SDK models' (node_modules/@aws-sdk/
 * client-NAME/dist-types/models): camelCase for CodeDeploy and ECS, PascalCase for ELBv2. Only the read
 * calls the hook makes, and PutLifecycleEventHookExecutionStatus, which decides the emulated
 * CodeDeploy deployment (its listener is the deployment's, control/blue-green.ts).
 */
import type { ActionModel } from '../alb';
import type { Balancer } from '../balancer';
import { AwsError, type Operation } from './standin';

export interface TaskDefinitionRecord {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  containerDefinitions: { name: string; image: string; environment: { name: string; value: string }[] }[];
}

export interface CodeDeployRecord {
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  appSpec: string;
  sha256: string;
  deploymentGroupInfo: Record<string, unknown>;
  /** The ECS deployment target, live (its task sets and their traffic weights). */
  target(): Record<string, unknown>;
  /** PutLifecycleEventHookExecutionStatus for this deployment. */
  report(executionId: string, status: string): void;
}

export class RehearsalAws {
  readonly balancers: Balancer[] = [];
  readonly taskDefinitions = new Map<string, TaskDefinitionRecord>();
  readonly serviceRevisions = new Map<string, Record<string, unknown>>();
  readonly taskSets = new Map<string, Record<string, unknown>>();
  readonly deployments = new Map<string, CodeDeployRecord>();

  operations(): Record<string, Operation> {
    return {
      'codedeploy:GetDeployment': (i) => {
        const d = this.deployment(i.deploymentId);
        return {
          deploymentInfo: {
            deploymentId: d.deploymentId,
            applicationName: d.applicationName,
            deploymentGroupName: d.deploymentGroupName,
            computePlatform: 'ECS',
            status: 'InProgress',
            // GetDeployment gives the revision's sha256, never its content (API_AppSpecContent.html).
            revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: d.sha256 } },
          },
        };
      },
      'codedeploy:GetApplicationRevision': (i) => {
        const sha = (i.revision as { appSpecContent?: { sha256?: string } })?.appSpecContent?.sha256;
        const d = [...this.deployments.values()].find((x) => x.sha256 === sha);
        if (!d) throw new AwsError('RevisionDoesNotExistException', `no revision with sha256 ${sha}`);
        return {
          applicationName: d.applicationName,
          revision: {
            revisionType: 'AppSpecContent',
            appSpecContent: { content: d.appSpec, sha256: d.sha256 },
          },
        };
      },
      'codedeploy:GetDeploymentGroup': (i) => {
        const d = [...this.deployments.values()].find(
          (x) => x.applicationName === i.applicationName && x.deploymentGroupName === i.deploymentGroupName,
        );
        if (!d)
          throw new AwsError(
            'DeploymentGroupDoesNotExistException',
            `no group ${String(i.deploymentGroupName)}`,
          );
        return { deploymentGroupInfo: d.deploymentGroupInfo };
      },
      'codedeploy:ListDeploymentTargets': (i) => {
        const t = this.deployment(i.deploymentId).target();
        return { targetIds: [t.targetId] };
      },
      'codedeploy:GetDeploymentTarget': (i) => ({
        deploymentTarget: {
          deploymentTargetType: 'ECSTarget',
          ecsTarget: this.deployment(i.deploymentId).target(),
        },
      }),
      'codedeploy:PutLifecycleEventHookExecutionStatus': (i) => {
        const executionId = String(i.lifecycleEventHookExecutionId);
        this.deployment(i.deploymentId).report(executionId, String(i.status));
        return { lifecycleEventHookExecutionId: executionId };
      },
      'ecs:DescribeTaskDefinition': (i) => {
        const key = String(i.taskDefinition);
        const td =
          this.taskDefinitions.get(key) ??
          [...this.taskDefinitions.values()].find((t) => `${t.family}:${t.revision}` === key);
        if (!td) throw new AwsError('ClientException', `Unable to describe task definition ${key}.`);
        return { taskDefinition: { ...td, status: 'ACTIVE' } };
      },
      'ecs:DescribeTaskSets': (i) => ({
        taskSets: ((i.taskSets as string[]) ?? []).flatMap((id) =>
          this.taskSets.has(id) ? [this.taskSets.get(id)] : [],
        ),
        failures: [],
      }),
      'ecs:DescribeServiceRevisions': (i) => {
        const arns = (i.serviceRevisionArns as string[]) ?? [];
        return {
          serviceRevisions: arns.flatMap((a) =>
            this.serviceRevisions.has(a) ? [this.serviceRevisions.get(a)] : [],
          ),
          failures: arns
            .filter((a) => !this.serviceRevisions.has(a))
            .map((arn) => ({ arn, reason: 'MISSING' })),
        };
      },
      'elbv2:DescribeLoadBalancers': (i) => ({
        LoadBalancers: this.balancers
          .filter((b) => ((i.LoadBalancerArns as string[]) ?? [b.model.arn]).includes(b.model.arn))
          .map((b) => ({
            LoadBalancerArn: b.model.arn,
            LoadBalancerName: b.model.name,
            // The listeners are on loopback ports: the hook's URL is http://<DNSName>:<port>.
            DNSName: '127.0.0.1',
            Scheme: 'internet-facing',
            Type: 'application',
            State: { Code: 'active' },
          })),
      }),
      'elbv2:DescribeListeners': (i) => {
        const wanted = (i.ListenerArns as string[]) ?? [];
        return {
          Listeners: this.balancers.flatMap((b) =>
            b.model.listeners
              .filter((l) => wanted.includes(l.arn))
              .map((l) => ({
                ListenerArn: l.arn,
                LoadBalancerArn: b.model.arn,
                // The ALB's port, as the hook would see it, is the loopback port HAProxy binds.
                Port: b.ports.get(l.id),
                Protocol: l.protocol,
                DefaultActions: this.actionShape(b, l.id),
              })),
          ),
        };
      },
      'elbv2:DescribeRules': (i) => {
        const byRule = (i.RuleArns as string[]) ?? [];
        const rules = this.balancers.flatMap((b) =>
          b.model.listeners
            .filter(
              (l) => l.arn === i.ListenerArn || l.routes.some((r) => byRule.includes(r.arn) && r.id !== l.id),
            )
            .flatMap((l) =>
              l.routes
                .filter((r) => (i.ListenerArn ? true : byRule.includes(r.arn) && r.id !== l.id))
                .map((r) => ({
                  RuleArn:
                    r.id === l.id ? `${l.arn.replace(':listener/', ':listener-rule/')}/default` : r.arn,
                  Priority: r.priority === undefined ? 'default' : String(r.priority),
                  IsDefault: r.priority === undefined,
                  Conditions: r.conditions.map((c) =>
                    c.field === 'path-pattern'
                      ? { Field: c.field, Values: c.values, PathPatternConfig: { Values: c.values } }
                      : { Field: c.field, HttpHeaderConfig: { HttpHeaderName: c.header, Values: c.values } },
                  ),
                  Actions: this.actionShape(b, r.id),
                })),
            ),
        );
        if (byRule.length && rules.length === 0)
          throw new AwsError('RuleNotFound', `One or more rules not found`);
        return { Rules: rules };
      },
    };
  }

  private deployment(id: unknown): CodeDeployRecord {
    const d = this.deployments.get(String(id));
    if (!d)
      throw new AwsError(
        'DeploymentDoesNotExistException',
        `The deployment ${String(id)} could not be found.`,
      );
    return d;
  }

  /** A route's current action in ELBv2's shape (`Action`). */
  private actionShape(b: Balancer, routeId: string): Record<string, unknown>[] {
    const action = b.actions.get(routeId) as ActionModel;
    if (action.type === 'redirect') {
      return [
        {
          Type: 'redirect',
          Order: 1,
          RedirectConfig: {
            Protocol: 'HTTPS',
            Port: String(action.port),
            StatusCode: `HTTP_${action.status}`,
          },
        },
      ];
    }
    if (action.type === 'fixed-response') {
      return [
        {
          Type: 'fixed-response',
          Order: 1,
          FixedResponseConfig: {
            StatusCode: String(action.status),
            ContentType: action.contentType,
            MessageBody: action.body,
          },
        },
      ];
    }
    const arn = (tg: string) => b.tg(tg).arn;
    return [
      {
        Type: 'forward',
        Order: 1,
        ...(action.targets.length === 1 ? { TargetGroupArn: arn(action.targets[0].tg) } : {}),
        ForwardConfig: {
          TargetGroups: action.targets.map((t) => ({ TargetGroupArn: arn(t.tg), Weight: t.weight })),
        },
      },
    ];
  }
}

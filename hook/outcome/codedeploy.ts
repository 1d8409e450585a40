/**
 * CodeDeploy's side of the outcome check: the deployment of the group the Deploy action created (the
 * first one created after the action's start) and its record. Calls: ListDeployments, GetDeployment.
 */
import {
  type CodeDeployClient,
  type DeploymentInfo,
  GetDeploymentCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { allPages } from '../paging';
import { codeDeployOutcome, type Outcome } from './verdict';

type CodeDeployTarget = { application: string; deploymentGroup: string };

/** The id of the first deployment of the group created after `since`, or undefined. */
export async function findDeployment(
  cd: CodeDeployClient,
  t: CodeDeployTarget,
  since: Date,
): Promise<string | undefined> {
  // Bounded like every listing of the hook's (../paging.ts): a repeated marker cannot loop the check.
  const ids = await allPages(`ListDeployments(${t.deploymentGroup})`, async (nextToken) => {
    const page = await cd.send(
      new ListDeploymentsCommand({
        applicationName: t.application,
        deploymentGroupName: t.deploymentGroup,
        createTimeRange: { start: since },
        nextToken,
      }),
    );
    return { items: page.deployments ?? [], next: page.nextToken };
  });
  const infos: DeploymentInfo[] = [];
  for (const id of ids) {
    const info = (await cd.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo;
    if (info) infos.push(info);
  }
  infos.sort((a, b) => (a.createTime?.getTime() ?? 0) - (b.createTime?.getTime() ?? 0));
  return infos[0]?.deploymentId;
}

export async function deploymentOutcome(cd: CodeDeployClient, id: string): Promise<Outcome> {
  const info = (await cd.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo;
  return info
    ? codeDeployOutcome(info)
    : { state: 'failed', id, message: `CodeDeploy deployment ${id} not found` };
}

/**
 * The GitHub connection of both source actions: created here (PENDING until someone approves it once
 * in the console, docs/pipelines.md), or the existing one `github.connectionArn` names. The choice is
 * made at synth time, not with a CloudFormation Condition on two literals.
 */
import { CodeStarConnections } from 'cloudform';
import { tags } from '../common';
import { PIPELINES_IDS, type PipelinesContext } from './context';

export function gitHubConnection(ctx: PipelinesContext): Record<string, CodeStarConnections.Connection> {
  if (ctx.config.github.connectionArn) return {};
  return {
    [PIPELINES_IDS.connection]: new CodeStarConnections.Connection({
      ConnectionName: `${ctx.names.prefix}-github`,
      ProviderType: 'GitHub',
      Tags: tags(ctx.config),
    }),
  };
}

/**
 * How ECS runs a Lambda lifecycle hook at a stage
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html): it invokes
 * the function with the stage's payload and reads `hookStatus` from the result. SUCCEEDED goes on;
 * FAILED (or no valid answer) rolls the deployment back; IN_PROGRESS is invoked again after
 * `callBackDelay` seconds (30 when the answer sets none), with the `hookDetails` it returned.
 */
import { type Clock, compressedMs } from '../clock';
import { type InvokeHook, verdictOf } from '../hook';
import type { Stop } from './context';

/** ECS's callBackDelay when an IN_PROGRESS answer sets none (docs/hook.md). */
export const DEFAULT_CALLBACK_DELAY_SECONDS = 30;

export async function runEcsHook(
  stage: string,
  payload: (invocation: number) => Record<string, unknown>,
  deps: { invokeHook: InvokeHook; clock: Clock; event(text: string): void },
): Promise<Stop | undefined> {
  let hookDetails: unknown;
  for (let invocation = 1; ; invocation++) {
    const answer = await deps.invokeHook({ ...payload(invocation), ...(hookDetails ? { hookDetails } : {}) });
    const result = answer.result ?? {};
    const { reasons } = verdictOf(answer);
    const status = String(result.hookStatus ?? 'nothing');
    deps.event(`${stage}: hook answered ${status}${reasons ? ` (${reasons})` : ''}`);
    if (result.hookStatus === 'SUCCEEDED') return undefined;
    if (result.hookStatus !== 'IN_PROGRESS') {
      return { by: 'hook', reason: `${stage} hook answered ${status}${reasons ? `: ${reasons}` : ''}` };
    }
    hookDetails = result.hookDetails;
    const delay = Number(result.callBackDelay ?? DEFAULT_CALLBACK_DELAY_SECONDS);
    await deps.clock.sleepMs(compressedMs(deps.clock, delay * 1000));
  }
}

/**
 * Intrinsic functions in forms cloudform does not render.
 */
import type { IntrinsicFunction } from 'cloudform';

/**
 * `{"Fn::Sub": "<text>"}`: the short form, for a string that uses only pseudo parameters,
 * parameters and this template's resources (cloudform's `Fn.Sub` always renders `[text, {vars}]`).
 */
export function sub(text: string): IntrinsicFunction {
  // cloudform's IntrinsicFunction only exists to serialise to this JSON; a plain object is equivalent.
  return { 'Fn::Sub': text } as unknown as IntrinsicFunction;
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` in this stack's account and region. */
export function accountArn(service: string, resource: string): IntrinsicFunction {
  return sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);
}

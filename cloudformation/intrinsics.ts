/**
 * Intrinsic functions in forms cloudform does not render.
 */
import { Fn, type IntrinsicFunction, Refs } from 'cloudform';

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

/**
 * The UUID at the end of the stack id (`arn:…:stack/<name>/<uuid>`): new each time a stack of that name
 * is created, stable for the stack's life, and free (service-bluegreen.ts's test-listener token is the same).
 */
export const STACK_UUID = Fn.Select(2, Fn.Split('/', Refs.StackId));

/**
 * Request and response classes that are born with Express's prototypes.
 *
 * Express 5 re-points the prototype of every request and response to its own
 * (`Object.setPrototypeOf` in `app.handle`). Changing an object's prototype after creation costs
 * V8 its fast property access on that object, in Express and in Node's own HTTP code: measured
 * here, that alone made a request ~4x as expensive in CPU (~105 vs ~25 us for a bare route).
 * Creating them with Express's prototypes in the first place turns that call into a no-op.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

export interface HttpClasses {
  IncomingMessage: typeof IncomingMessage;
  ServerResponse: typeof ServerResponse;
}

/** Node's own classes are plain constructor functions; an ES class could not be called like this. */
function isPlainFunction(fn: unknown): boolean {
  return typeof fn === 'function' && !/^class\b/.test(Function.prototype.toString.call(fn));
}

/**
 * The classes for `http.createServer(options)`, or undefined (Node's defaults, only slower) if a
 * future Node turns its classes into ES classes.
 */
export function expressHttpClasses(app: Express): HttpClasses | undefined {
  if (!isPlainFunction(IncomingMessage) || !isPlainFunction(ServerResponse)) return undefined;
  // Node's constructors called as functions on an object that already has the right prototype:
  // typed as plain functions because @types/node declares them as classes.
  const initRequest = IncomingMessage as unknown as (this: unknown, socket: Socket) => void;
  const initResponse = ServerResponse as unknown as (
    this: unknown,
    req: IncomingMessage,
    options?: object,
  ) => void;
  function AppRequest(this: unknown, socket: Socket) {
    initRequest.call(this, socket);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: unknown, req: IncomingMessage, options?: object) {
    initResponse.call(this, req, options);
  }
  AppResponse.prototype = app.response;
  return {
    IncomingMessage: AppRequest as unknown as typeof IncomingMessage,
    ServerResponse: AppResponse as unknown as typeof ServerResponse,
  };
}

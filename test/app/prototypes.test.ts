import { IncomingMessage, ServerResponse } from 'node:http';
import { expect } from 'chai';
import express from 'express';
import { createLogger } from '../../app/logger';
import { expressHttpClasses } from '../../app/prototypes';
import { startServer } from '../../app/server';
import { readSettings } from '../../app/settings';
import { get } from './support/http';

describe('express http classes', () => {
  it("creates requests and responses that already have the app's prototypes", () => {
    const app = express();
    const classes = expressHttpClasses(app);
    expect(classes).to.not.equal(undefined);
    const req = new classes!.IncomingMessage(null as never);
    const res = new classes!.ServerResponse(req);
    // Express's Object.setPrototypeOf(req, app.request) is then a no-op.
    expect(Object.getPrototypeOf(req)).to.equal(app.request);
    expect(Object.getPrototypeOf(res)).to.equal(app.response);
    expect(req).to.be.instanceOf(IncomingMessage);
    expect(res).to.be.instanceOf(ServerResponse);
    // Node's constructors ran: the objects are initialised, not bare prototypes.
    expect(req.headers).to.deep.equal({});
    expect(res.statusCode).to.equal(200);
  });

  it('creates a real server whose requests Express does not re-prototype', async () => {
    const seen: unknown[] = [];
    const original = Object.setPrototypeOf;
    // Count the prototype changes Express makes to request/response objects (none should change).
    Object.setPrototypeOf = (obj: object, proto: object | null) => {
      if (obj instanceof IncomingMessage || obj instanceof ServerResponse) {
        seen.push(Object.getPrototypeOf(obj) === proto);
      }
      return original(obj, proto);
    };
    const logger = createLogger({ destination: { write: () => undefined } });
    const running = await startServer({
      settings: { ...readSettings({}), port: 0 },
      logger,
      host: '127.0.0.1',
    });
    try {
      expect((await get(running.port, '/version')).status).to.equal(200);
    } finally {
      Object.setPrototypeOf = original;
      await running.shutdown('test');
    }
    expect(seen).to.deep.equal([true, true]);
  });
});

import { Agent, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiHttpServer, createApiHttpServer } from '../../../local/api-http-server.js';

let api: ApiHttpServer | undefined;
const agents: Agent[] = [];

afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
  api?.server.closeAllConnections();
  api?.server.close();
  api = undefined;
});

/**
 * A server whose `/held/NAME` requests are answered on `release(NAME)`, and every other one at once;
 * `handling(NAME)` resolves once such a request is being handled.
 */
async function serve(): Promise<{
  port: number;
  handling(name: string): Promise<void>;
  release(name: string): Promise<void>;
}> {
  const held = new Map<string, () => void>();
  api = createApiHttpServer(async (request) => {
    const name = new URL(request.url).pathname.split('/held/')[1];
    if (name !== undefined) await new Promise<void>((release) => held.set(name, release));
    return Response.json({ ok: true });
  });
  const { server } = api;
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const handling = async (name: string) => {
    while (!held.has(name)) await new Promise((tick) => setTimeout(tick, 5));
  };
  return {
    port: (server.address() as AddressInfo).port,
    handling,
    async release(name) {
      await handling(name);
      held.get(name)?.();
    },
  };
}

/** A client with one kept-alive connection: each request waits for the one before and reuses its connection. */
function client(port: number): (path: string) => Promise<{ status?: number; connection?: string }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return (path) =>
    new Promise((answered, failed) => {
      get({ host: '127.0.0.1', port, path, agent }, (response) => {
        response.resume();
        response.once('end', () =>
          answered({ status: response.statusCode, connection: response.headers.connection }),
        );
      }).once('error', failed);
    });
}

describe('createApiHttpServer', () => {
  it('closes once the requests being handled are answered, closing each connection they come on', async () => {
    // Prepare: two requests being handled, each on a client's kept-alive connection
    const { port, handling, release } = await serve();
    const [one, two] = [client(port), client(port)];
    const first = one('/held/first');
    const second = two('/held/second');
    await Promise.all([handling('first'), handling('second')]);

    // Act: closing, the first is answered, and its client sends another request on that connection
    let closed = false;
    const closing = api?.close().then(() => {
      closed = true;
    });
    await release('first');
    expect(await first).toEqual({ status: 200, connection: 'keep-alive' });
    const whileClosing = await one('/another');

    // Assess: a request that comes while closing is answered and closes its connection, so no client
    // keeps the server open; the server closes once the last request being handled is answered
    expect(whileClosing).toEqual({ status: 200, connection: 'close' });
    expect(closed).toBe(false);
    await release('second');
    expect(await second).toEqual({ status: 200, connection: 'keep-alive' });
    await closing;
    expect(closed).toBe(true);
  });
});

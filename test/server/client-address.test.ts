// Proves per-IP connection limits count the client behind a trusted proxy (the address it appended to
// X-Forwarded-For), ignore what the client writes there itself, and ignore the header without a trusted proxy.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { WebSocket } from 'ws';
import { openSocket, removeDir, startServer, type RunningServer } from './server-process.ts';

function connect(server: RunningServer, forwardedFor: string): Promise<WebSocket | number> {
  return openSocket(server, { 'x-forwarded-for': forwardedFor });
}

describe('per-IP connection limits and X-Forwarded-For', () => {
  let proxied: RunningServer;
  let direct: RunningServer;
  const open: WebSocket[] = [];
  /** The upgrade's HTTP status (101: open, and kept open so that it counts against the limit). */
  const keep = (result: WebSocket | number): number => {
    if (typeof result === 'number') return result;
    open.push(result);
    return 101;
  };
  before(async () => {
    [proxied, direct] = await Promise.all([
      startServer({ args: ['--connections-per-ip', '1', '--trusted-proxy-hops', '1'] }),
      startServer({ args: ['--connections-per-ip', '1'] }),
    ]);
  });
  after(async () => {
    for (const ws of open) ws.close();
    for (const s of [proxied, direct]) {
      await s.stop();
      removeDir(s.dataDir);
    }
  });

  test('behind a trusted proxy each client address has its own limit', async () => {
    assert.equal(keep(await connect(proxied, '203.0.113.1')), 101);
    assert.equal(keep(await connect(proxied, '203.0.113.2')), 101);
    assert.equal(keep(await connect(proxied, '203.0.113.1')), 429);
    assert.equal(keep(await connect(proxied, '198.51.100.50, 203.0.113.2')), 429, 'an entry the client wrote does not make a new address');
  });

  test('without a trusted proxy the header is ignored: one peer, one connection', async () => {
    assert.equal(keep(await connect(direct, '203.0.113.1')), 101);
    assert.equal(keep(await connect(direct, '203.0.113.2')), 429);
  });
});

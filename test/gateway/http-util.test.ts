// Proves the client address behind trusted proxies: the entry the last trusted proxy appended to X-Forwarded-For,
// never one the client wrote itself, and the socket peer whenever the header is absent, short or malformed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientAddress } from '../../gateway/http-util.ts';

const PEER = '10.0.1.7';

test('with no trusted proxy the header is ignored', () => {
  assert.equal(clientAddress(PEER, '203.0.113.9', 0), PEER);
});

test('behind one proxy (an ALB) the last entry is the client; entries the client wrote are not', () => {
  assert.equal(clientAddress(PEER, '203.0.113.9', 1), '203.0.113.9');
  assert.equal(clientAddress(PEER, '198.51.100.1, 203.0.113.9', 1), '203.0.113.9');
  assert.equal(clientAddress(PEER, '2001:db8::1', 1), '2001:db8::1');
});

test('behind two proxies the second entry from the end is the client', () => {
  assert.equal(clientAddress(PEER, '198.51.100.1, 203.0.113.9, 10.0.0.2', 2), '203.0.113.9');
});

test('an absent, short or malformed header falls back to the peer', () => {
  assert.equal(clientAddress(PEER, '', 1), PEER);
  assert.equal(clientAddress(PEER, '203.0.113.9', 2), PEER);
  assert.equal(clientAddress(PEER, 'not-an-address', 1), PEER);
  assert.equal(clientAddress(PEER, '203.0.113.9, ', 1), PEER);
});

// Proves the leader's CLOCK ticks: one per interval while no command enters, none while commands flow or intake is
// closed, none after stop; and, through the server process, a GTD order in a quiet market expires on time.
import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import type { Command } from '../../engine/commands.ts';
import { CommandType } from '../../engine/schema.ts';
import { startClockTicks } from '../../server/clock-ticks.ts';
import { removeDir, reportingClient, reportWhere, setUpMarket, startServer, type RunningServer } from './server-process.ts';

const INTERVAL_MS = 100;

/** A venue that only counts: every submitted command takes the next seq. */
function countingVenue() {
  const submitted: Command[] = [];
  const venue = {
    seqLast: 0,
    open: true,
    accepting: () => venue.open,
    submit: (command: Command) => {
      submitted.push(command);
      venue.seqLast++;
      return venue.seqLast;
    },
  };
  return { venue, submitted };
}

describe('clock ticks', () => {
  test('an idle venue gets one CLOCK per interval; a busy or closed one none; stop ends them', () => {
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      const { venue, submitted } = countingVenue();
      const stop = startClockTicks(venue, INTERVAL_MS);
      mock.timers.tick(INTERVAL_MS * 3);
      assert.deepEqual(submitted.map((c) => c.type), [CommandType.CLOCK, CommandType.CLOCK, CommandType.CLOCK]);
      for (let i = 0; i < 3; i++) {
        venue.submit({ type: CommandType.CREATE_ACCOUNT, seq: 0, timeUs: 0, name: `a${i}` });
        mock.timers.tick(INTERVAL_MS);
      }
      assert.equal(submitted.filter((c) => c.type === CommandType.CLOCK).length, 3, 'no tick while commands flow');
      venue.open = false;
      mock.timers.tick(INTERVAL_MS * 3);
      assert.equal(submitted.length, 6, 'no tick while intake is closed');
      venue.open = true;
      stop();
      mock.timers.tick(INTERVAL_MS * 3);
      assert.equal(submitted.length, 6, 'no tick after stop');
    } finally {
      mock.timers.reset();
    }
  });
});

describe('a GTD order in a quiet market', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ args: ['--clock-interval-ms', String(INTERVAL_MS)] });
    await setUpMarket(server, ['alice']);
  });
  after(async () => {
    await server.stop();
    removeDir(server.dataDir);
  });

  test('expires within a tick of its time with nothing else sent', async () => {
    const { client, reports } = await reportingClient(server, 'alice');
    try {
      const expireTimeMs = Date.now() + 500;
      const accepted = await client.place({ symbol: 'BTC-USD', side: 'buy', orderType: 'limit', timeInForce: 'GTD', expireTimeMs, price: '100', qty: '1' });
      assert.equal(accepted.kind, 'accepted');
      const expired = await reportWhere(reports, (r) => r.kind === 'expired');
      assert.equal(expired.orderId, accepted.orderId);
      assert.ok(expired.timeMs >= expireTimeMs, `expired at ${expired.timeMs}, before its time ${expireTimeMs}`);
    } finally {
      client.close();
    }
  });
});

// Proves decimal strings convert exactly to ticks, lots and minor units, and anything inexact is refused with a code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromUnits, symbolUnits, tickAndLotSizes, toMinorUnits, toUnits } from '../../engine/decimal.ts';
import { ResultCode } from '../../engine/result-codes.ts';

test('prices and quantities convert to whole multiples of the tick and lot', () => {
  assert.deepEqual(toUnits('123.45', '0.01'), { ok: true, value: 12_345 });
  assert.deepEqual(toUnits('0.3', '0.1'), { ok: true, value: 3 }, 'no float error: 0.3 / 0.1 is exactly 3');
  assert.deepEqual(toUnits('1.5', '0.25'), { ok: true, value: 6 });
  assert.deepEqual(toUnits('100', '5'), { ok: true, value: 20 });
  assert.deepEqual(toUnits('0', '0.01'), { ok: true, value: 0 });
});

test('inexact, malformed or oversized decimals are refused with BAD_DECIMAL', () => {
  for (const [text, unit] of [['123.455', '0.01'], ['1.', '1'], ['-1', '1'], ['01', '1'], ['1e3', '1'], ['', '1'], ['1', '0'], ['9007199254740992', '1'], ['1'.repeat(41), '1']]) {
    assert.deepEqual(toUnits(text as string, unit as string), { ok: false, code: ResultCode.BAD_DECIMAL }, `${text} / ${unit}`);
  }
});

test('amounts convert with the asset scale', () => {
  assert.deepEqual(toMinorUnits('1000000', 2), { ok: true, value: 100_000_000 });
  assert.deepEqual(toMinorUnits('0.00000001', 8), { ok: true, value: 1 });
  assert.deepEqual(toMinorUnits('0.000000001', 8), { ok: false, code: ResultCode.BAD_DECIMAL });
  assert.deepEqual(toMinorUnits('7', 0), { ok: true, value: 7 });
});

test('fromUnits prints the decimal back without trailing zeros', () => {
  assert.equal(fromUnits(12_345, '0.01'), '123.45');
  assert.equal(fromUnits(12_300, '0.01'), '123');
  assert.equal(fromUnits(5, '0.001'), '0.005');
  assert.equal(fromUnits(6, '0.25'), '1.5');
  for (let units = 0; units < 2_000; units += 7) assert.deepEqual(toUnits(fromUnits(units, '0.0125'), '0.0125'), { ok: true, value: units });
});

test('symbol units: lot in base minor units, tick x lot in quote minor units, or TICK_LOT_NOT_REPRESENTABLE', () => {
  assert.deepEqual(symbolUnits('0.01', '0.001', 8, 8), { ok: true, value: { baseUnitsPerLot: 100_000, quoteUnitsPerTickLot: 1_000 } });
  assert.deepEqual(symbolUnits('0.01', '0.001', 8, 2), { ok: false, code: ResultCode.TICK_LOT_NOT_REPRESENTABLE });
  assert.deepEqual(symbolUnits('0.01', '0.001', 2, 8), { ok: false, code: ResultCode.TICK_LOT_NOT_REPRESENTABLE });
  assert.deepEqual(symbolUnits('0', '1', 0, 0), { ok: false, code: ResultCode.BAD_DECIMAL });
  assert.deepEqual(symbolUnits('5', '10', 0, 0), { ok: true, value: { baseUnitsPerLot: 10, quoteUnitsPerTickLot: 50 } });
});

test('tickAndLotSizes gives back the tick and lot sizes a symbol was created from', () => {
  for (const [tick, lot, baseScale, quoteScale] of [['0.01', '0.001', 8, 8], ['5', '10', 0, 0], ['0.5', '0.25', 4, 6], ['0.0001', '100', 2, 6]] as const) {
    const units = symbolUnits(tick, lot, baseScale, quoteScale);
    assert.ok(units.ok);
    assert.deepEqual(tickAndLotSizes(units.value.baseUnitsPerLot, units.value.quoteUnitsPerTickLot, baseScale, quoteScale), { tickSize: tick, lotSize: lot });
  }
});

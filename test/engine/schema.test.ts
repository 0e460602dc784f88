// Proves every command and event record's fields tile it exactly, aligned, and round-trip through the codec.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCommand, encodeCommand, type Command } from '../../engine/commands.ts';
import { COMMAND_LAYOUTS, COMMAND_SIZE_BYTES, EVENT_LAYOUTS, EVENT_SIZE_BYTES, decodeRecord, encodeRecord, type RecordLayout } from '../../engine/schema.ts';

const ALIGNMENT_BYTES = { u8: 1, u16: 2, u32: 4, u64: 8, name: 1, pad: 1 } as const;

for (const [kind, layouts, size] of [['command', COMMAND_LAYOUTS, COMMAND_SIZE_BYTES], ['event', EVENT_LAYOUTS, EVENT_SIZE_BYTES]] as const) {
  test(`${kind} layouts tile their ${size}-byte records without gaps or overlaps, every field aligned`, () => {
    for (const l of layouts) {
      assert.equal(l.sizeBytes, size, l.name);
      let next = 0;
      for (const f of l.fields) {
        assert.equal(f.offset, next, `${l.name}.${f.name} starts where the previous field ends`);
        assert.equal(f.offset % ALIGNMENT_BYTES[f.kind], 0, `${l.name}.${f.name} is aligned`);
        next = f.offset + f.sizeBytes;
      }
      assert.equal(next, size, `${l.name} fields cover the record`);
      assert.deepEqual(l.fields.slice(0, 4).map((f) => [f.name, f.offset]), [['type', 0], ['pad@1', 1], ['seq', 8], ['timeUs', 16]], `${l.name} header`);
    }
  });

  test(`${kind} types and names are unique`, () => {
    assert.equal(new Set(layouts.map((l) => l.type)).size, layouts.length);
    assert.equal(new Set(layouts.map((l) => l.name)).size, layouts.length);
    for (const l of layouts) assert.equal(new Set(l.fields.map((f) => f.name)).size, l.fields.length, l.name);
  });

  test(`${kind} records round-trip every field, padding zeroed`, () => {
    for (const l of layouts) {
      const record = sampleRecord(l);
      const bytes = new Uint8Array(size + 16).fill(0xee);
      const view = new DataView(bytes.buffer);
      encodeRecord(l, record, view, 8);
      assert.deepEqual(decodeRecord(l, view, 8), { ...record, type: l.type }, l.name);
      for (const f of l.fields.filter((x) => x.kind === 'pad')) {
        assert.ok(bytes.subarray(8 + f.offset, 8 + f.offset + f.sizeBytes).every((b) => b === 0), `${l.name}.${f.name} zeroed`);
      }
      assert.equal(bytes[7], 0xee, 'nothing written before the record');
      assert.equal(bytes[8 + size], 0xee, 'nothing written after the record');
    }
  });
}

/** Distinct, domain-filling values per field: the largest safe u64, the max of each width, a name. */
function sampleRecord(l: RecordLayout): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  l.fields.forEach((f, i) => {
    if (f.kind === 'pad' || f.name === 'type') return;
    if (f.kind === 'name') out[f.name] = `name-${l.name}`.slice(0, 32);
    else if (f.kind === 'u64') out[f.name] = i % 2 === 0 ? Number.MAX_SAFE_INTEGER - i : 4_294_967_296 + i;
    else out[f.name] = 2 ** (8 * f.sizeBytes) - 1 - i;
  });
  return out;
}

test('decodeCommand answers undefined for a type byte that names no command', () => {
  const view = new DataView(new ArrayBuffer(COMMAND_SIZE_BYTES));
  view.setUint8(0, 99);
  assert.equal(decodeCommand(view, 0), undefined);
});

test('encoding refuses values outside a field domain instead of truncating them', () => {
  const view = new DataView(new ArrayBuffer(COMMAND_SIZE_BYTES));
  const cancel = { type: 2, seq: 1, timeUs: 1, symbolId: 0, accountId: 0, orderId: 2 ** 53 } as unknown as Command;
  assert.throws(() => encodeCommand(cancel, view, 0), /orderId must be an integer/);
  const negative = { ...cancel, orderId: 1, accountId: -1 } as unknown as Command;
  assert.throws(() => encodeCommand(negative, view, 0), /accountId must be an integer/);
  const asset = { type: 10, seq: 1, timeUs: 1, scale: 2, name: 'é' } as unknown as Command;
  assert.throws(() => encodeCommand(asset, view, 0), /ASCII/);
});

test('the fixed-offset decoders of the order commands read exactly what the schema decoder reads', () => {
  for (const type of [1, 2, 3]) {
    const l = COMMAND_LAYOUTS.find((x) => x.type === type) as RecordLayout;
    const bytes = new Uint8Array(COMMAND_SIZE_BYTES);
    const view = new DataView(bytes.buffer);
    encodeRecord(l, sampleRecord(l), view, 0);
    const generic = Object.fromEntries(Object.entries(decodeRecord(l, view, 0)).sort());
    assert.deepEqual(Object.fromEntries(Object.entries(decodeCommand(view, 0) as object).sort()), generic, l.name);
  }
});

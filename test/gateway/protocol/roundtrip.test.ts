// Proves every message type, with every optional field present and absent and at its edge values, decodes to exactly what was encoded in both encodings, and that the samples really cover all of that.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENCODINGS, decodeClientMessage, decodeServerMessage, encodeClientMessage, encodeServerMessage } from '../../../gateway/protocol/codec.ts';
import { CLIENT_SPECS, SERVER_SPECS } from '../../../gateway/protocol/message-specs.ts';
import { CLIENT_SAMPLES, SERVER_SAMPLES } from './samples.ts';

function coverage(specs: Readonly<Record<string, { fields: Readonly<Record<string, { optional: boolean }>> }>>, samples: readonly object[]): string[] {
  const missing: string[] = [];
  for (const [type, spec] of Object.entries(specs)) {
    const ofType = samples.filter((s) => (s as { type: string }).type === type);
    if (ofType.length === 0) missing.push(`${type}: no sample`);
    for (const [field, { optional }] of Object.entries(spec.fields)) {
      if (!optional) continue;
      if (!ofType.some((s) => Object.hasOwn(s, field))) missing.push(`${type}.${field}: never present`);
      if (!ofType.some((s) => !Object.hasOwn(s, field))) missing.push(`${type}.${field}: never absent`);
    }
  }
  return missing;
}

test('the samples cover every message type and every optional field, present and absent', () => {
  assert.deepEqual(coverage(CLIENT_SPECS as never, CLIENT_SAMPLES), []);
  assert.deepEqual(coverage(SERVER_SPECS as never, SERVER_SAMPLES), []);
});

for (const encoding of ENCODINGS) {
  test(`${encoding}: every client message round-trips`, () => {
    for (const message of CLIENT_SAMPLES) {
      assert.deepStrictEqual(decodeClientMessage(encoding, encodeClientMessage(encoding, message)), message);
    }
  });

  test(`${encoding}: every server message round-trips`, () => {
    for (const message of SERVER_SAMPLES) {
      assert.deepStrictEqual(decodeServerMessage(encoding, encodeServerMessage(encoding, message)), message);
    }
  });
}

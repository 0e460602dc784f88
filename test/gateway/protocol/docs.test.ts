// Proves the protocol documents match the code: every message's field list in README.md and MSGPACK.md (names, order, optionality, defined types), every msgpack hex example byte for byte, and the FlatBuffers example.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { encodeFlatbuffersMessage } from '../../../gateway/protocol/fbs-encode.ts';
import { CLIENT_SPECS, SERVER_SPECS } from '../../../gateway/protocol/message-specs.ts';
import { decodeMsgpackClientMessage, decodeMsgpackServerMessage, encodeMsgpackMessage } from '../../../gateway/protocol/msgpack.ts';
import * as messages from '../../../gateway/protocol/messages.ts';
import type { AnyMessage } from '../../../gateway/protocol/messages.ts';
import { decodeFlatbuffersClientMessage } from '../../../gateway/protocol/flatbuffers.ts';

const read = (name: string): string => readFileSync(new URL(`../../../gateway/protocol/${name}`, import.meta.url), 'utf8');
const README = read('README.md');
const MSGPACK = read('MSGPACK.md');
const SPECS: Readonly<Record<string, { fields: Readonly<Record<string, { optional: boolean }>> }>> = { ...CLIENT_SPECS, ...SERVER_SPECS } as never;

/** `type { a: t, b?: t }` lines: message type to [field, optional, type] in order. */
function signatures(doc: string): Map<string, [string, boolean, string][]> {
  const out = new Map<string, [string, boolean, string][]>();
  for (const m of doc.matchAll(/^(\w+) \{ (.*) \}$/gm)) {
    const fields = (m[2] ?? '').split(', ').map((f): [string, boolean, string] => {
      const [, field = '', question = '', type = ''] = /^(\w+)(\??): (\S+)$/.exec(f) ?? [];
      return [field, question === '?', type];
    });
    assert.ok(!out.has(m[1] ?? ''), `${m[1]} is listed once`);
    out.set(m[1] ?? '', fields);
  }
  return out;
}

const definedTypes = new Set([...README.matchAll(/^\| `([^`]+)`(?:, `([^`]+)`)* \|/gm)].map((m) => m[1]));

for (const [name, doc] of [['README.md', README], ['MSGPACK.md', MSGPACK]] as const) {
  test(`${name} lists every message with exactly its fields, in order, with their optionality and defined types`, () => {
    const listed = signatures(doc);
    assert.deepEqual([...listed.keys()].sort(), Object.keys(SPECS).sort());
    for (const [type, fields] of listed) {
      const spec = SPECS[type];
      assert.ok(spec !== undefined);
      assert.deepEqual(fields.map(([field, optional]) => [field, optional]), Object.entries(spec.fields).map(([field, s]) => [field, s.optional]), type);
      for (const [field, , fieldType] of fields) assert.ok(definedTypes.has(fieldType), `${type}.${field}: type ${fieldType} is in README.md's Types table`);
    }
  });
}

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const squeeze = (text: string): string => text.replace(/\s+/g, '');

test('every msgpack example in MSGPACK.md is the exact encoding of its JSON and decodes back to it', () => {
  const examples = [...MSGPACK.matchAll(/^### (\w+)\n\n```json\n(.+)\n```\n\n```hex\n([0-9a-f \n]+)```/gm)];
  assert.deepEqual(examples.map((m) => m[1]).sort(), Object.keys(SPECS).sort());
  for (const [, type, json = '', hex = ''] of examples) {
    const message = JSON.parse(json) as AnyMessage;
    assert.equal(message.type, type);
    assert.equal(hexOf(encodeMsgpackMessage(message)), squeeze(hex), type);
    const bytes = Buffer.from(squeeze(hex), 'hex');
    const decoded = type !== undefined && type in CLIENT_SPECS ? decodeMsgpackClientMessage(bytes) : decodeMsgpackServerMessage(bytes);
    assert.deepStrictEqual(decoded, message);
  }
});

test('the FlatBuffers example in README.md is the reference encoding of its ping', () => {
  const hex = /```hex\n([0-9a-f \n]+)```/.exec(README)?.[1] ?? '';
  const ping: AnyMessage = { type: 'ping', requestId: 8, timeMs: 1_700_000_000_000 };
  assert.equal(hexOf(encodeFlatbuffersMessage(ping)), squeeze(hex));
  assert.deepStrictEqual(decodeFlatbuffersClientMessage(Buffer.from(squeeze(hex), 'hex')), ping);
});

test('README.md lists every named limit of messages.ts with its value', () => {
  const limits = Object.entries(messages).filter(([name]) => /_(MAX|DEFAULT)$/.test(name));
  const rows = [...README.matchAll(/^\| [^|(]+\(((?:`[A-Z0-9_]+`(?:, )?)+)\) \| ([^|]+) \|$/gm)];
  const documented = new Map<string, number>();
  for (const [, names = '', value = ''] of rows) {
    const numbers = (value.replace(/2\^(\d+) - 1/g, (_, n: string) => String(2 ** Number(n) - 1)).match(/[0-9][0-9,]*/g) ?? []).map((n) => Number(n.replace(/,/g, '')));
    [...names.matchAll(/`([A-Z0-9_]+)`/g)].forEach(([, name = ''], i) => documented.set(name, numbers[i] ?? Number.NaN));
  }
  assert.deepEqual([...documented.keys()].sort(), limits.map(([name]) => name).sort());
  for (const [name, value] of limits) assert.equal(documented.get(name), value, name);
});

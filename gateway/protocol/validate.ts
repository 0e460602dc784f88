// The one gate every decoded frame passes, whatever its encoding: a map whose `type` names a message
// of the expected direction, only that message's fields, each passing its rule, and the rules across
// fields. Returns a fresh, typed message or the ProtocolError to answer with; never throws.
import { ProtocolError } from './errors.ts';
import { CLIENT_SPECS, SERVER_SPECS } from './message-specs.ts';
import type { FieldSpec, MessageSpec } from './message-specs.ts';
import type { AnyMessage, ClientMessage, ServerMessage } from './messages.ts';
import { Invalid, describe, requestId as requestIdRule } from './rules.ts';

interface CompiledSpec {
  readonly fields: readonly (readonly [name: string, spec: FieldSpec<unknown, boolean>])[];
  readonly check: ((message: never) => string | undefined) | undefined;
}

type Validator<M> = (value: unknown) => M | ProtocolError;

function compile(specs: Readonly<Record<string, MessageSpec<never>>>): ReadonlyMap<string, CompiledSpec> {
  const compiled = new Map<string, CompiledSpec>();
  for (const [type, spec] of Object.entries(specs)) {
    const fields = Object.entries(spec.fields as Readonly<Record<string, FieldSpec<unknown, boolean>>>);
    compiled.set(type, { fields, check: spec.check });
  }
  return compiled;
}

function isMap(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function validator<M extends AnyMessage>(own: ReadonlyMap<string, CompiledSpec>, other: ReadonlyMap<string, CompiledSpec>, sender: string): Validator<M> {
  return (value) => {
    if (!isMap(value)) return new ProtocolError('BAD_FRAME', 'a frame must hold one message map');
    const id = requestIdRule(value['requestId']);
    const requestId = id instanceof Invalid ? undefined : id;
    const type = value['type'];
    const spec = typeof type === 'string' ? own.get(type) : undefined;
    if (spec === undefined) {
      const why = typeof type === 'string' && other.has(type) ? `${type} is not a ${sender} message` : `unknown message type ${describe(type)}`;
      return new ProtocolError('UNKNOWN_MESSAGE', why, requestId);
    }
    const out: Record<string, unknown> = { type };
    let known = 1;
    for (const [field, fieldSpec] of spec.fields) {
      if (!Object.hasOwn(value, field)) {
        if (!fieldSpec.optional) return new ProtocolError('BAD_FIELD', `${type}.${field} is required`, requestId);
        continue;
      }
      known++;
      const given = value[field];
      const checked = fieldSpec.rule(given);
      if (checked instanceof Invalid) return new ProtocolError(checked.error, `${type}.${field} must be ${checked.expected}, got ${describe(given)}`, requestId);
      out[field] = checked;
    }
    const keys = Object.keys(value);
    if (keys.length !== known) {
      const extra = keys.find((key) => key !== 'type' && !Object.hasOwn(out, key)) ?? '';
      return new ProtocolError('BAD_FIELD', `${type} has no field ${describe(extra)}`, requestId);
    }
    const wrong = spec.check?.(out as never);
    if (wrong !== undefined) return new ProtocolError('BAD_FIELD', wrong, requestId);
    return out as M;
  };
}

const client = compile(CLIENT_SPECS as unknown as Record<string, MessageSpec<never>>);
const server = compile(SERVER_SPECS as unknown as Record<string, MessageSpec<never>>);

/** A decoded frame from a client, checked (the gateway's side). */
export const validateClientMessage: Validator<ClientMessage> = validator(client, server, 'client');
/** A decoded frame from the server, checked (the client's side). */
export const validateServerMessage: Validator<ServerMessage> = validator(server, client, 'server');

// The engine's records as the journal sees them: fixed-size commands and events whose seq and
// time sit where record-layout.ts expects them. Checked against the engine's schema once at load,
// so a schema change that moves those fields fails at startup instead of corrupting a journal.

import { COMMAND_LAYOUTS, COMMAND_SIZE_BYTES, EVENT_LAYOUTS, EVENT_SIZE_BYTES, fieldOffset } from '../engine/schema.ts';
import { COMMAND_SEQ_OFFSET_BYTES, COMMAND_TIME_US_OFFSET_BYTES, COMMAND_TYPE_OFFSET_BYTES, type RecordLayout } from './record-layout.ts';

export const COMMAND_RECORD_SIZE_BYTES = COMMAND_SIZE_BYTES;
export const EVENT_RECORD_SIZE_BYTES = EVENT_SIZE_BYTES;

/** Events carry the seq and time of the command that caused them, at the commands' offsets. */
export const EVENT_RECORD_LAYOUT: RecordLayout = {
  sizeBytes: EVENT_SIZE_BYTES,
  seqOffsetBytes: COMMAND_SEQ_OFFSET_BYTES,
  timeUsOffsetBytes: COMMAND_TIME_US_OFFSET_BYTES,
};

for (const layout of [...COMMAND_LAYOUTS, ...EVENT_LAYOUTS]) {
  const offsets = [fieldOffset(layout, 'type'), fieldOffset(layout, 'seq'), fieldOffset(layout, 'timeUs')];
  if (offsets.join() !== [COMMAND_TYPE_OFFSET_BYTES, COMMAND_SEQ_OFFSET_BYTES, COMMAND_TIME_US_OFFSET_BYTES].join()) {
    throw new Error(`engine record ${layout.name} has type/seq/timeUs at ${offsets.join('/')}; the journal needs 0/8/16`);
  }
}

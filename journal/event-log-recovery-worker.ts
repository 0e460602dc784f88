// Worker thread entry of EventLogRecoveryThread: recovers the durable core's event log on the real
// file system and reports progress and outcome to the thread that started it.

import { workerData } from 'node:worker_threads';
import { EVENT_RECORD_LAYOUT } from './core-records.ts';
import { reportEventLogRecovery, type EventLogRecoveryWorkerData } from './event-log-recovery-thread.ts';
import { recoverEventLog } from './event-log-recovery.ts';

const data = workerData as EventLogRecoveryWorkerData;
reportEventLogRecovery(data, (onKept) => recoverEventLog(data.dir, { layout: EVENT_RECORD_LAYOUT, commandSeqRecovered: data.commandSeqRecovered, onKept }));

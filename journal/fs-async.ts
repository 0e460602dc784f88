// The asynchronous twins of fs-ops.ts's syncDirectory and readFully, for the Kafka endpoint's log
// reads and group offsets, which must not block their event loop.

import { open, type FileHandle } from 'node:fs/promises';

/** Makes a directory's entries (created, renamed, deleted files) durable. */
export async function syncDirectoryAsync(dirPath: string): Promise<void> {
  const handle = await open(dirPath, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads `lengthBytes` at `positionBytes` into `target[0...]`; returns the bytes read (less only at end of file). */
export async function readFullyAsync(handle: FileHandle, target: Buffer, positionBytes: number, lengthBytes: number): Promise<number> {
  let readBytes = 0;
  while (readBytes < lengthBytes) {
    const { bytesRead } = await handle.read(target, readBytes, lengthBytes - readBytes, positionBytes + readBytes);
    if (bytesRead === 0) break;
    readBytes += bytesRead;
  }
  return readBytes;
}

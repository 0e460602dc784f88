// The file-system calls the journal makes, behind an interface so tests can inject failures
// (ENOSPC, EIO on fdatasync) and benchmarks can time fdatasync without touching the journal code.

import * as fs from 'node:fs';
import { dirname } from 'node:path';

export interface FsOps {
  openSync(path: string, flags: string): number;
  closeSync(fd: number): void;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  fdatasyncSync(fd: number): void;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, lengthBytes: number): void;
  fstatSizeBytes(fd: number): number;
  readdirSync(path: string): string[];
  mkdirSync(path: string): void;
  renameSync(fromPath: string, toPath: string): void;
  unlinkSync(path: string): void;
  existsSync(path: string): boolean;
}

export const nodeFsOps: FsOps = {
  openSync: (path, flags) => fs.openSync(path, flags),
  closeSync: (fd) => fs.closeSync(fd),
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  writeSync: (fd, buffer, offset, length, position) => fs.writeSync(fd, buffer, offset, length, position),
  fdatasyncSync: (fd) => fs.fdatasyncSync(fd),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  ftruncateSync: (fd, lengthBytes) => fs.ftruncateSync(fd, lengthBytes),
  fstatSizeBytes: (fd) => fs.fstatSync(fd).size,
  readdirSync: (path) => fs.readdirSync(path),
  mkdirSync: (path) => {
    fs.mkdirSync(path, { recursive: true });
  },
  renameSync: (fromPath, toPath) => fs.renameSync(fromPath, toPath),
  unlinkSync: (path) => fs.unlinkSync(path),
  existsSync: (path) => fs.existsSync(path),
};

/** Makes a directory's entries (created, renamed, deleted files) durable. */
export function syncDirectory(fsOps: FsOps, path: string): void {
  const fd = fsOps.openSync(path, 'r');
  try {
    fsOps.fsyncSync(fd);
  } finally {
    fsOps.closeSync(fd);
  }
}

/** Writes all of `buffer[0, lengthBytes)` at `position`, repeating on short writes. */
export function writeFully(fsOps: FsOps, fd: number, buffer: Uint8Array, lengthBytes: number, position: number): void {
  let writtenBytes = 0;
  while (writtenBytes < lengthBytes) {
    writtenBytes += fsOps.writeSync(fd, buffer, writtenBytes, lengthBytes - writtenBytes, position + writtenBytes);
  }
}

/** Reads `lengthBytes` at `position` into `buffer[offset...]`; returns the bytes read (less only at end of file). */
export function readFully(fsOps: FsOps, fd: number, buffer: Uint8Array, offset: number, lengthBytes: number, position: number): number {
  let readBytes = 0;
  while (readBytes < lengthBytes) {
    const got = fsOps.readSync(fd, buffer, offset + readBytes, lengthBytes - readBytes, position + readBytes);
    if (got === 0) break;
    readBytes += got;
  }
  return readBytes;
}

/** Creates `path` (and parents) if missing, making the new entry durable in its parent. */
export function ensureDirectory(fsOps: FsOps, path: string, parentPath: string): void {
  if (fsOps.existsSync(path)) return;
  fsOps.mkdirSync(path);
  syncDirectory(fsOps, parentPath);
}

/** Cuts `path` to `lengthBytes` and makes the new size durable. */
export function truncateFileDurably(fsOps: FsOps, path: string, lengthBytes: number): void {
  const fd = fsOps.openSync(path, 'r+');
  try {
    fsOps.ftruncateSync(fd, lengthBytes);
    fsOps.fdatasyncSync(fd);
  } finally {
    fsOps.closeSync(fd);
  }
}

/** The whole content of `path`. */
export function readWholeFile(fsOps: FsOps, path: string): Buffer {
  const fd = fsOps.openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(fsOps.fstatSizeBytes(fd));
    const readBytes = readFully(fsOps, fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, readBytes);
  } finally {
    fsOps.closeSync(fd);
  }
}

/**
 * Writes `chunks` to `tempPath`, fsyncs it and renames it to `path` in the same directory, then
 * syncs the directory: a crash leaves either the old file or the complete new one, never a mix.
 */
export function writeFileAtomically(fsOps: FsOps, path: string, tempPath: string, chunks: readonly Uint8Array[]): void {
  const fd = fsOps.openSync(tempPath, 'w');
  try {
    let positionBytes = 0;
    for (const chunk of chunks) {
      writeFully(fsOps, fd, chunk, chunk.length, positionBytes);
      positionBytes += chunk.length;
    }
    fsOps.fsyncSync(fd);
  } finally {
    fsOps.closeSync(fd);
  }
  fsOps.renameSync(tempPath, path);
  syncDirectory(fsOps, dirname(path));
}

export function fileSizeBytes(fsOps: FsOps, path: string): number {
  const fd = fsOps.openSync(path, 'r');
  try {
    return fsOps.fstatSizeBytes(fd);
  } finally {
    fsOps.closeSync(fd);
  }
}

// Starts a worker thread on an ES module of this project, whether it runs from its TypeScript
// sources (tests, `npm start`) or from the built JavaScript (the image).

import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * `moduleUrl` names the module with the extension of the code that is running (see
 * moduleUrlBeside). From TypeScript sources the worker registers the tsx loader before importing
 * the module, because Node 20 does not pass the main thread's loader hooks on to workers.
 */
export function startModuleWorker(moduleUrl: URL, options: Omit<WorkerOptions, 'eval'>): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** The URL of module `name` (no extension) in the folder of `importMetaUrl`, with that module's own extension. */
export function moduleUrlBeside(importMetaUrl: string, name: string): URL {
  const extension = importMetaUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, importMetaUrl);
}

/**
 * Scanning on worker threads for large trees: YAML parsing is CPU-bound, so a
 * repository with thousands of workflow files is split into chunks that
 * workers read and scan in parallel. The worker is the caller's own entry
 * module started with `workerData` naming this role (a bundle cannot ship a
 * second file), which calls `serveScanRequests`.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import { UserError } from '@slipway/core';
import { readAndScan, scanOnThisThread, type FileScan, type TreeScanner } from './check.ts';

export const SCAN_WORKER_ROLE = 'slipway-pin-check-scan';

interface ScanRequest {
  id: number;
  root: string;
  files: string[];
}

type ScanReply = { id: number; scans: FileScan[] } | { id: number; error: string; userError: boolean };

/** The worker side: answers each request with the scans of its files, or the error. */
export function serveScanRequests(port: MessagePort): void {
  port.on('message', (request: ScanRequest) => {
    try {
      const scans = request.files.map((file) => readAndScan(request.root, file));
      port.postMessage({ id: request.id, scans } satisfies ScanReply);
    } catch (error) {
      const userError = error instanceof UserError;
      port.postMessage({ id: request.id, error: (error as Error).message, userError } satisfies ScanReply);
    }
  });
}

export interface WorkerScannerOptions {
  /** Module that serves scan requests when started with `workerData: { role: SCAN_WORKER_ROLE }`. */
  entry: URL;
  threads: number;
  /** Below this many files the tree is scanned on this thread (starting workers costs more). */
  minFiles?: number;
}

export function workerScanner(options: WorkerScannerOptions): TreeScanner {
  const minFiles = options.minFiles ?? 300;
  return async (root, files) => {
    if (options.threads < 2 || files.length < minFiles) return scanOnThisThread(root, files);
    const chunkSize = Math.max(25, Math.ceil(files.length / (options.threads * 4)));
    const chunks: string[][] = [];
    for (let i = 0; i < files.length; i += chunkSize) chunks.push(files.slice(i, i + chunkSize));
    const results: FileScan[][] = new Array(chunks.length);
    let next = 0;
    const workers = Array.from({ length: Math.min(options.threads, chunks.length) }, () => {
      return new Worker(options.entry, { workerData: { role: SCAN_WORKER_ROLE } });
    });
    try {
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const send = () => {
                if (next >= chunks.length) return resolve();
                const id = next++;
                worker.postMessage({ id, root, files: chunks[id] as string[] } satisfies ScanRequest);
              };
              worker.on('message', (reply: ScanReply) => {
                if ('error' in reply)
                  return reject(reply.userError ? new UserError(reply.error) : new Error(reply.error));
                results[reply.id] = reply.scans;
                send();
              });
              worker.on('error', reject);
              send();
            }),
        ),
      );
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
    return results.flat();
  };
}

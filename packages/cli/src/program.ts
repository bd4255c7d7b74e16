import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SCAN_WORKER_ROLE, serveScanRequests } from '@slipway/pinning';
import { processIo } from './io.ts';
import { main } from './main.ts';

/**
 * Runs `slipway` in this process: the command named by process.argv, or, on a worker thread started
 * for pin-check's scans, the scan requests. `entry` is the file the process started (the standalone
 * bundle's index.js, or dist/cli/index.js, which starts this module from the shared bundle): pin-check
 * starts its worker threads from that file again, so it must lead back here.
 */
export async function runProgram(entry: URL): Promise<void> {
  if (!isMainThread && (workerData as { role?: string } | undefined)?.role === SCAN_WORKER_ROLE) {
    serveScanRequests(parentPort!);
  } else {
    process.exitCode = await main(process.argv.slice(2), processIo(entry));
  }
}

import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SCAN_WORKER_ROLE, serveScanRequests } from '@slipway/pinning';
import { processIo } from './io.ts';
import { main } from './main.ts';

// The bundle is also its own worker: pin-check scans large trees on worker threads.
if (!isMainThread && (workerData as { role?: string } | undefined)?.role === SCAN_WORKER_ROLE) {
  serveScanRequests(parentPort!);
} else {
  process.exitCode = await main(process.argv.slice(2), processIo(new URL(import.meta.url)));
}

/**
 * One long-running `git cat-file --batch` per repository: object reads become a
 * pipe round trip instead of a process spawn. Requests are answered in order.
 * Objects written later by other git processes are found too (git looks loose
 * objects up on every request and rescans packs on a miss).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface BatchObject {
  type: string;
  content: Buffer;
}

const IDLE_MS = 1000;

interface Pending {
  oid: string;
  resolve: (value: BatchObject | null) => void;
  reject: (error: Error) => void;
}

export class CatFileBatch {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending: Pending[] = [];
  private buffer = Buffer.alloc(0);
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly gitDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Reads one object; null when it does not exist. `oid` must be a full hex object id. */
  read(oid: string): Promise<BatchObject | null> {
    clearTimeout(this.idleTimer);
    const child = this.start();
    return new Promise((resolve, reject) => {
      this.pending.push({ oid, resolve, reject });
      child.stdin.write(`${oid}\n`);
    });
  }

  close(): void {
    clearTimeout(this.idleTimer);
    const child = this.child;
    this.child = undefined;
    this.buffer = Buffer.alloc(0);
    for (const request of this.pending.splice(0)) request.reject(new Error('git cat-file --batch closed'));
    child?.stdin.end();
    child?.kill();
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn('git', [`--git-dir=${this.gitDir}`, 'cat-file', '--batch'], { env: this.env });
    // Only the current process may touch the queue: after an idle close, a request can start a new
    // process before the old one's exit event arrives (that event once failed the new requests).
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.child !== child) return;
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    const fail = (error: Error) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.buffer = Buffer.alloc(0);
      for (const request of this.pending.splice(0)) request.reject(error);
    };
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`git cat-file --batch exited with ${code}`)));
    this.child = child;
    return child;
  }

  /** Idle processes exit after a second, so many repositories do not mean many live processes. */
  private scheduleIdleClose(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.length === 0) this.close();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  private drain(): void {
    for (;;) {
      const request = this.pending[0];
      const newline = this.buffer.indexOf(0x0a);
      if (!request) return this.scheduleIdleClose();
      if (newline === -1) return;
      const header = this.buffer.subarray(0, newline).toString('utf8');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(newline + 1);
        this.pending.shift();
        request.resolve(null);
        continue;
      }
      const [, type, size] = header.split(' ');
      const length = Number(size);
      if (this.buffer.length < newline + 1 + length + 1) return;
      const content = Buffer.from(this.buffer.subarray(newline + 1, newline + 1 + length));
      this.buffer = this.buffer.subarray(newline + 1 + length + 1);
      this.pending.shift();
      request.resolve({ type: type!, content });
    }
  }
}

/**
 * Fault injection shared by the OIDC-login doubles. A test queues faults; each
 * request takes the first queued fault whose `route` matches (or any fault
 * without a route) and suffers it instead of (or before) the normal answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Fault =
  /** Answer with this status and body (a provider error document built by the double). */
  | { kind: 'error'; route?: string; code: string; message?: string; status?: number }
  /** Answer with a bare status (e.g. 503 from a load balancer), empty body. */
  | { kind: 'status'; route?: string; status: number }
  /** Wait this long before answering normally. */
  | { kind: 'slow'; route?: string; ms: number }
  /** Destroy the connection without answering. */
  | { kind: 'drop'; route?: string };

export class FaultQueue {
  private readonly queue: Fault[] = [];

  push(...faults: Fault[]): void {
    this.queue.push(...faults);
  }

  take(route: string): Fault | undefined {
    const index = this.queue.findIndex((f) => f.route === undefined || f.route === route);
    return index < 0 ? undefined : this.queue.splice(index, 1)[0];
  }

  get pending(): number {
    return this.queue.length;
  }
}

/**
 * Applies the transport-level part of a fault. Returns the fault when the caller
 * must still render it (`error`), 'handled' when the response is done (drop,
 * status), or undefined to continue normally (after a slow wait).
 */
export async function applyFault(
  fault: Fault | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Extract<Fault, { kind: 'error' }> | 'handled' | undefined> {
  if (!fault) return undefined;
  switch (fault.kind) {
    case 'drop':
      req.socket.destroy();
      return 'handled';
    case 'status':
      res.writeHead(fault.status, { 'content-type': 'text/plain' }).end();
      return 'handled';
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      // a client that gave up has closed the connection: do no work for it (no credentials issued)
      return req.socket.destroyed || res.destroyed ? 'handled' : undefined;
    case 'error':
      return fault;
  }
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** `*` matches any run of characters, `?` one character: IAM StringLike. */
export function globMatches(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A double's server listening on an ephemeral loopback port. */
export interface LoopbackListener {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with a port the OS picks; `close` resolves once the server has stopped. */
export async function listenOnLoopback(server: Server): Promise<LoopbackListener> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

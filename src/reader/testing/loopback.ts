/**
 * @module reader/testing/loopback
 * @internal Starts a test HTTP server on 127.0.0.1 (an ephemeral port): its `/v1` base URL and a
 * `close()` that also drops open (hanging) connections.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listenLoopback(
  server: Server,
): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

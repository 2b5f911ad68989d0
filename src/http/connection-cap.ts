import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * At most `perAddress` open connections from one client address: one more is closed as it
 * arrives, before a byte of it is read.
 *
 * Why here and not only in the rate limits: a refused request still costs the web process about
 * half a millisecond (parsing, hooks, the session, a 429 body, the write and the close), and a
 * client that opens 600 connections at once makes a burst of 0.3 s during which everyone else's
 * requests wait their turn among its own (`npm run bench:flood`: other users' p99 350 ms with
 * streams alone). Closing the extra sockets costs microseconds. Behind a proxy every connection
 * comes from the proxy, so there the cap is the proxy's to set (TRUST_PROXY skips this one).
 */
export function capConnectionsPerAddress(server: Server, perAddress: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= perAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

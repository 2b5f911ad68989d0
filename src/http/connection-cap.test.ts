import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/wait.js';
import { capConnectionsPerAddress } from './connection-cap.js';

/** A raw keep-alive connection that sends one request and tells whether it was answered. */
function client(port: number, localAddress: string) {
  const socket: Socket = connect({ host: '127.0.0.1', port, localAddress });
  const answered = new Promise<boolean>((resolve) => {
    socket.once('data', () => resolve(true));
    socket.once('close', () => resolve(false));
  });
  socket.on('error', () => {});
  socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
  return { socket, answered };
}

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

describe('capConnectionsPerAddress', () => {
  let server: Server;
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('closes connections past the cap from one address, and only from that one', async () => {
    server = createServer((_request, response) => response.end('ok'));
    capConnectionsPerAddress(server, 2);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    const first = client(port, '127.0.0.2');
    const second = client(port, '127.0.0.2');
    expect(await first.answered).toBe(true);
    expect(await second.answered).toBe(true);
    const third = client(port, '127.0.0.2');
    expect(await third.answered).toBe(false);
    // Someone else is served while the first address holds its two.
    expect(await client(port, '127.0.0.1').answered).toBe(true);

    // A closed connection frees its place.
    first.socket.destroy();
    await waitFor(async () => ((await openConnections(server)) === 2 ? true : undefined), 5_000);
    expect(await client(port, '127.0.0.2').answered).toBe(true);
  });
});

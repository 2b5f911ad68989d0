import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of PostgreSQL, so a test can take the database away the way a restart or
 * a failover does to the application: every open connection is reset mid-stream, and new ones
 * are refused until the server is back on the same address. (Restarting the machine's own
 * PostgreSQL would cut every other test file's databases too.)
 */
export interface TcpProxy {
  readonly port: number;
  /** Connections relayed right now. */
  readonly open: number;
  /** Resets every relayed connection and stops listening: new connections are refused. */
  goDown: () => Promise<void>;
  /** Listens on the same port again. */
  comeBack: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const relay = (client: Socket): void => {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      // A reset on one side ends the other; the errors themselves are the point of the test.
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  };
  let server: Server = createServer(relay);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.resetAndDestroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  const port = await listen(0);
  return {
    port,
    get open() {
      return sockets.size / 2;
    },
    goDown: stop,
    comeBack: async () => {
      server = createServer(relay);
      await listen(port);
    },
    close: stop,
  };
}

import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type TcpProxy = {
  /** `http://127.0.0.1:<port>`, forwarding to the target. */
  url: string;
  /** Drops every open connection (a network failure); new connections still go through. */
  cut(): void;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
};

/** A TCP relay in front of a local server, to cut connections the way a flaky network does. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let connections = 0;
  const server = createServer((client) => {
    connections++;
    const upstream = connect(targetPort, '127.0.0.1');
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      open.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        open.delete(a);
        b.destroy();
      });
    }
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cut: () => open.forEach((s) => s.destroy()),
    get connections() {
      return connections;
    },
    close: async () => {
      open.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

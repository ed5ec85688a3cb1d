import type { Server } from 'node:http';

/** Closes an HTTP server, dropping kept-alive connections instead of waiting for them to time out. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

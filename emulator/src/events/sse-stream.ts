import type http from 'node:http';
import type { SendOutcome } from './subscriber-channel';
import type { IvsEvent } from './types';

/** A client that stops reading is cut off rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export function formatSseFrame(event: IvsEvent): string {
  return `id: ${event.id}\nevent: ${event['detail-type']}\ndata: ${JSON.stringify(event)}\n\n`;
}

export interface SseStream {
  write(event: IvsEvent): SendOutcome;
  end(): void;
}

/**
 * Opens a server-sent-events response. The heartbeat runs on real time because its job is keeping proxies and
 * idle-socket timeouts from closing the connection, which has nothing to do with emulated time.
 */
export function openSseStream(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  heartbeatMs: number,
  onClose: () => void,
): SseStream {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  // An initial comment flushes the headers so clients see the stream open before the first event.
  res.write(': connected\n\n');

  const heartbeat = setInterval(() => {
    if (isWritable(res)) res.write(': ping\n\n');
  }, heartbeatMs);
  heartbeat.unref();

  let closed = false;
  const cleanup = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    onClose();
  };
  req.on('close', cleanup);
  res.on('close', cleanup);
  res.on('error', cleanup);

  return {
    write(event) {
      if (closed || !isWritable(res)) return 'cancelled';
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        res.destroy();
        return 'failed';
      }
      res.write(formatSseFrame(event));
      return 'delivered';
    },
    end() {
      if (isWritable(res)) res.end();
      cleanup();
    },
  };
}

function isWritable(res: http.ServerResponse): boolean {
  return !res.destroyed && !res.writableEnded;
}

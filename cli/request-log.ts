import pino from "pino";

/** Bytes of request log lines gathered before they are written (under load, tens of lines a write). */
const BATCH_BYTES = 4096;
/** A gathered line waits at most this long: with little traffic the log still shows it within a second. */
const FLUSH_MS = 1000;

/** The request log of `seuranta serve` and a replica: stdout, written without blocking and in batches. */
export interface RequestLog {
  stream: pino.DestinationStream;
  /** Writes what is left and stops the timer; call after the app has closed. */
  close(): void;
}

/**
 * Opens the request log. Lines are written without blocking and gathered up to BATCH_BYTES, so that
 * under load one write carries many lines (a write per line was about a fifth of the log's cost on a
 * cached answer), and flushed at least every FLUSH_MS.
 */
export function openRequestLog(): RequestLog {
  const stream = pino.destination({ dest: 1, sync: false, minLength: BATCH_BYTES });
  const timer = setInterval(() => stream.flush(), FLUSH_MS);
  timer.unref();
  return {
    stream,
    close() {
      clearInterval(timer);
      stream.flushSync();
    },
  };
}

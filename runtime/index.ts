// The runtime's public API, wired into roles by ops/roles.ts.

export type { CommandBus, Directory, StateReader } from './bus.ts';
export { type Db, migrate, type OpenedDatabase, openDatabase, withRetry } from './db.ts';
export type { PartitionStatus } from './driver.ts';
export { KvDirectory } from './kv-directory.ts';
export { metrics } from './metrics.ts';
export { CommandFailedError, NatsCommandBus, RequestTimeoutError } from './nats-bus.ts';
export { PortError } from './ports.ts';
export { DbStateReader } from './snapshot-store.ts';
export {
  CMD_STREAM,
  EVT_STREAM,
  ensureStreams,
  isMessageTooLarge,
  isStreamFull,
  OUT_STREAM,
  type StreamOptions,
} from './streams.ts';
export {
  type PartitionPorts,
  startWorker,
  type Worker,
  type WorkerOptions,
  type WorkerStatus,
} from './worker.ts';

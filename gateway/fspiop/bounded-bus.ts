// A CommandBus whose requests wait for an actor's reply no longer than the edge's request timeout,
// so an Admin call or a lookup on a stalled partition answers 2004 instead of waiting on the
// runtime's default.

import type { CommandBus, RequestOptions } from '../../runtime/bus.ts';

export function boundedBus(bus: CommandBus, requestTimeoutMs: number): CommandBus {
  return {
    send: (to, command, options) => bus.send(to, command, options),
    request: <R>(
      to: Parameters<CommandBus['send']>[0],
      command: unknown,
      options?: RequestOptions,
    ) => bus.request<R>(to, command, { timeoutMs: requestTimeoutMs, ...options }),
  };
}

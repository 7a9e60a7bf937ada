// What the FSPIOP gateway needs from the rest of the switch. Kept in its own module so route
// modules can import the type without importing the app (no cycles).

import type { HubSettings } from '../../actors/actor.ts';
import type { CommandBus, Directory } from '../../runtime/bus.ts';
import type { ServiceProbe } from '../health.ts';
import type { FspiopSecurity } from './auth.ts';
import type { EdgeLimits } from './edge.ts';

export type FspiopDeps = {
  /** Publishes commands durably; the gateway answers 202/200 only after `send` resolved. */
  readonly bus: CommandBus;
  /** Public projections of actors (participants: ParticipantDirectoryEntry). */
  readonly directory: Directory;
  readonly hub: HubSettings;
  /** The gateway's clock (tests pass a controllable one); default Date.now. */
  readonly nowMs?: () => number;
  /** Dependencies reported by GET /health (broker, datastore); none in in-process tests. */
  readonly health?: readonly ServiceProbe[];
  /** Body limit and request timeout; default EDGE_DEFAULTS. */
  readonly edge?: EdgeLimits;
  /** Caller authentication, JWS verification and request budgets; none when absent. */
  readonly security?: FspiopSecurity;
};

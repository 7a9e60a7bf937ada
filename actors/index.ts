// The registry of actor types the runtime hosts. Each actor type lives in its own folder.

import type { AnyActor } from './actor.ts';

export const ACTORS: readonly AnyActor[] = [];

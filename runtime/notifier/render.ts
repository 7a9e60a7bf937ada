// The hook through which a callback is rendered in its receiver's API type before delivery. The
// notifier knows nothing of the API types: the composition (ops/roles.ts) hands it the ISO 20022
// renderer (gateway/iso20022/render.ts); without one, every callback goes as the actor wrote it.

import type { Callback } from '../../actors/callback.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';

export type Rendered =
  /** `translated`: the body is no longer the sender's, so the hub signs it as its own. */
  | { readonly kind: 'callback'; readonly callback: Callback; readonly translated: boolean }
  /** The message cannot be put in the receiver's API type. */
  | { readonly kind: 'untranslatable'; readonly error: string };

export type CallbackRenderer = (
  callback: Callback,
  receiver: ParticipantDirectoryEntry | undefined,
  nowMs: number,
) => Rendered;

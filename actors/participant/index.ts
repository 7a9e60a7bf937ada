// Public entry of the Participant actor folder.

export { participantActor, participantDirectoryEntry } from './actor.ts';
export type * from './messages.ts';

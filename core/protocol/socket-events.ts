import type { CaseSummary } from '../cases/case-summary.ts';
import type { Ack, CaseAck, EventBatchWire, WatchResultWire } from './cases-api.ts';

/**
 * The socket.io event map, shared by both ends. Server facts are nouns (`case:events`), client
 * commands are verbs with an acknowledgement.
 */
export interface ServerToClientEvents {
  /** The events of a committed batch for the area this socket watches (packed: decode with eventBatchOf in live-wire.ts). */
  'case:events': (batch: EventBatchWire) => void;
  /** Sent to every watching socket after each committed batch: sequence range from..to is complete. */
  'case:mark': (mark: { readonly from: number; readonly to: number }) => void;
  /** Every few seconds: everything up to `seq` is committed (lets an idle client notice a lost batch). */
  'case:watermark': (mark: { readonly seq: number }) => void;
}

export interface ClientToServerEvents {
  /** File a report; the ack comes only once the case is durably stored. */
  'case:report': (report: unknown, ack: (result: Ack<CaseAck>) => void) => void;
  /**
   * Watch one area (district, street, community or grid code), replacing any earlier watch. With
   * `since` (the last sequence seen), the answer is what was missed, or a snapshot if too much was.
   * `protocol` is the client's LIVE_PROTOCOL (live-wire.ts); another version is refused.
   */
  'area:watch': (request: { readonly area: string; readonly since?: number; readonly protocol: number }, ack: (result: Ack<WatchResultWire>) => void) => void;
  /** The watched area's events with sequence from..to, from the store (to fill a gap). */
  'case:range': (request: { readonly from: number; readonly to: number }, ack: (result: Ack<WatchResultWire>) => void) => void;
  /**
   * A case-loop command (`{type, …}`, as POST /api/cases/:number/commands takes) by the signed-in
   * account; the ack carries the case as it now stands, or the refusal.
   */
  'case:command': (
    request: { readonly caseNumber: string; readonly command: unknown },
    ack: (result: Ack<{ readonly case: CaseSummary; readonly event: { readonly seq: number; readonly type: string; readonly at: string } }>) => void,
  ) => void;
}

/**
 * One store read for every dashboard that asks for the same area's snapshot at about the same time.
 * After a server restart or a network blip every wall display reconnects within a second; each
 * reading (and holding) its own copy of tens of thousands of open cases is what makes a reconnect
 * storm expensive. A request never joins a read that has already started: it waits for the next one,
 * which starts `windowMs` after the first request of its group. Each requester joined its room before
 * asking, so whatever commits after the read is broadcast to all of them, exactly as with a read of
 * their own.
 */
export function createSnapshotCoalescer<Snapshot>(read: (area: string) => Promise<Snapshot>, windowMs = 15): (area: string) => Promise<Snapshot> {
  const waiting = new Map<string, Promise<Snapshot>>();
  return (area) => {
    let next = waiting.get(area);
    if (!next) {
      next = new Promise<void>((resolve) => setTimeout(resolve, windowMs)).then(() => {
        // From here on a new request starts a new group: this read may already be under way.
        waiting.delete(area);
        return read(area);
      });
      waiting.set(area, next);
    }
    return next;
  };
}

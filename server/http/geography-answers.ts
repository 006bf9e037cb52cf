/** Answers without a box (whole levels, a parent's areas) up to this size are kept, this many at most. */
export const CACHED_BODY_CHARS = 4 * 1024 * 1024;
export const CACHED_BODIES = 512;

/**
 * Answers that depend on the geography only, kept per geography version (a new version empties it):
 * every map loads the same few whole levels first, and a boxed query is the one that varies.
 */
export class GeographyAnswers {
  private version = -1;
  private readonly bodies = new Map<string, Promise<string>>();

  constructor(private readonly currentVersion: () => number) {}

  get(key: string, make: () => Promise<string>): Promise<string> {
    const version = this.currentVersion();
    if (version !== this.version) {
      this.bodies.clear();
      this.version = version;
    }
    const known = this.bodies.get(key);
    if (known) return known;
    const body = make();
    this.bodies.set(key, body);
    body.then(
      (text) => {
        if (text.length > CACHED_BODY_CHARS && this.bodies.get(key) === body) this.bodies.delete(key);
      },
      () => {
        // A failed read is not kept: the next request tries again.
        if (this.bodies.get(key) === body) this.bodies.delete(key);
      },
    );
    // The oldest goes first (a Map iterates in insertion order).
    if (this.bodies.size > CACHED_BODIES) this.bodies.delete(this.bodies.keys().next().value!);
    return body;
  }
}

/**
 * Names for the statements a driver runs, so that each connection (a server pool's, or the embedded
 * database's one) parses and plans a statement once and then reuses it (PostgreSQL's prepared
 * statements) instead of planning it on every call. An intake batch runs about ten statements; on the
 * server, planned each time, they took ~0.3–0.5 ms each (a warm connection; ~15 ms on a fresh one),
 * a large share of the database's work for a batch of one or two cases. Texts built at run time are
 * finite here (a filter's columns, never its values), but the number named is capped all the same:
 * past the cap a text is run unnamed, as before (a cap of 0 names nothing).
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  constructor(private readonly limit = 500) {}

  nameOf(text: string): string | undefined {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < this.limit) this.names.set(text, (name = `gc${this.names.size + 1}`));
    return name;
  }
}

import { eventHashInput } from './canonical-json.ts';

export interface ChainLink {
  readonly seq: number;
  readonly caseId: number;
  readonly type: string;
  readonly actor: string;
  readonly at: string;
  readonly data: unknown;
  readonly prevHash: string | null;
  readonly hash: string;
}

export interface ChainProblem {
  readonly seq: number;
  readonly caseId: number;
  readonly problem: 'hash-mismatch' | 'broken-link' | 'seq-order';
  readonly detail: string;
}

/**
 * Walks the event log in sequence order and checks that each event's hash covers what it says
 * and that it names the hash of the event before it: editing, inserting or deleting any event
 * shows up at that event (and a rewritten suffix cannot reach the hash published before it).
 */
export class ChainVerifier {
  private last: { seq: number; hash: string } | undefined;
  checked = 0;

  constructor(private readonly sha256: (text: string) => string) {}

  push(link: ChainLink): ChainProblem[] {
    const problems: ChainProblem[] = [];
    if (this.last && link.seq <= this.last.seq) problems.push({ seq: link.seq, caseId: link.caseId, problem: 'seq-order', detail: `seq ${link.seq} after ${this.last.seq}` });
    const expectedPrev = this.last?.hash ?? null;
    if (link.prevHash !== expectedPrev) {
      problems.push({ seq: link.seq, caseId: link.caseId, problem: 'broken-link', detail: `names ${link.prevHash ?? 'nothing'} as the hash before it; the event before it has ${expectedPrev ?? 'none'}` });
    }
    const hash = this.sha256(eventHashInput({ prevHash: link.prevHash, seq: link.seq, caseId: link.caseId, type: link.type, actor: link.actor, at: link.at, data: link.data }));
    if (hash !== link.hash) problems.push({ seq: link.seq, caseId: link.caseId, problem: 'hash-mismatch', detail: `stored ${link.hash.slice(0, 12)}…, contents hash to ${hash.slice(0, 12)}…` });
    this.last = { seq: link.seq, hash: link.hash };
    this.checked++;
    return problems;
  }
}

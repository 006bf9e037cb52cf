import { createHash } from 'node:crypto';
import { ChainVerifier, type ChainProblem } from '../../core/audit/chain-verifier.ts';
import { applyEvent, CaseHistoryError } from '../../core/case-loop/apply-event.ts';
import type { CaseState } from '../../core/case-loop/case-state.ts';
import { summaryOf } from '../../core/case-loop/summary-of.ts';
import { canonicalJson } from '../../core/audit/canonical-json.ts';
import type { CaseSummary } from '../../core/cases/case-summary.ts';
import type { Store } from '../store/store.ts';

export interface AuditReport {
  readonly events: number;
  readonly cases: number;
  readonly chainProblems: readonly ChainProblem[];
  /** Cases whose stored row differs from what their events fold to. */
  readonly projectionProblems: readonly { readonly caseNumber: string; readonly fields: readonly string[] }[];
  readonly ok: boolean;
}

const PAGE = 5_000;
/** Reported at most; beyond this the log is plainly damaged and the count says how much. */
const MAX_LISTED = 100;

/** What a stored row must agree on with the fold of its events (names and the assignee's roster entry aside). */
const COMPARED: readonly (keyof CaseSummary)[] = [
  'status', 'tier', 'queue', 'gridCode', 'communityCode', 'streetCode', 'acceptDueAt', 'resolveDueAt', 'acceptedAt', 'closedAt',
  'overdueAcceptAt', 'overdueResolveAt', 'escalatedAt', 'reworkCount', 'extensionPending', 'formalNoticeDueAt', 'reportsCount', 'duplicateOf',
];

/**
 * Re-walks the whole event log: the hash chain must be unbroken, and every case's stored row must
 * be what its events fold to. Evaluations feed staff appraisal, so "on time" must be provable.
 */
export async function verifyAudit(store: Store): Promise<AuditReport> {
  const verifier = new ChainVerifier((text) => createHash('sha256').update(text).digest('hex'));
  const chainProblems: ChainProblem[] = [];
  const states = new Map<number, CaseState>();
  let after = 0;
  for (;;) {
    const page = await store.cases.chain(after, PAGE);
    if (page.length === 0) break;
    for (const link of page) {
      const problems = verifier.push({ ...link.event, seq: link.seq, caseId: link.caseId, prevHash: link.prevHash, hash: link.hash });
      if (chainProblems.length < MAX_LISTED) chainProblems.push(...problems);
      try {
        states.set(link.caseId, applyEvent(states.get(link.caseId), link.caseId, link.event));
      } catch (error) {
        if (!(error instanceof CaseHistoryError)) throw error;
        if (chainProblems.length < MAX_LISTED) chainProblems.push({ seq: link.seq, caseId: link.caseId, problem: 'broken-link', detail: error.message });
      }
    }
    after = page[page.length - 1]!.seq;
  }

  const projectionProblems: { caseNumber: string; fields: string[] }[] = [];
  let cases = 0;
  let afterId = 0;
  for (;;) {
    const page = await store.cases.summariesAfter(afterId, PAGE);
    if (page.length === 0) break;
    for (const stored of page) {
      cases++;
      const state = states.get(stored.id);
      const folded = state ? summaryOf(state, stored.assignee) : undefined;
      const fields = folded ? COMPARED.filter((f) => canonicalJson(stored[f]) !== canonicalJson(folded[f])) : ['no events'];
      if (fields.length > 0 && projectionProblems.length < MAX_LISTED) projectionProblems.push({ caseNumber: stored.number, fields });
    }
    afterId = page[page.length - 1]!.id;
  }
  return { events: verifier.checked, cases, chainProblems, projectionProblems, ok: chainProblems.length === 0 && projectionProblems.length === 0 };
}

import { useMemo } from 'react';
import { useLanguage } from '../app/i18n.tsx';
import type { Lang, Strings } from '../app/strings.ts';
import { type CaseRecord, deadlineOf } from '../live/case-record.ts';
import type { CatalogueData } from '../state/use-catalogue.ts';
import type { GeographyData } from '../state/geography-data.ts';

/** Names of the codes a case carries, in the UI language where the data has both. */
export interface CaseNames {
  readonly lang: Lang;
  category(code: string): string;
  severity(level: number): string;
  grid(code: string | null): string;
  street(code: string | null): string;
  department(code: string): string;
}

export function useCaseNames(catalogue: CatalogueData | undefined, geography: GeographyData | undefined): CaseNames {
  const { lang } = useLanguage();
  return useMemo(
    () => ({
      lang,
      category: (code) => catalogue?.categories.get(code)?.[lang] ?? code,
      severity: (level) => catalogue?.catalogue.severities.find((s) => s.level === level)?.[lang] ?? String(level),
      grid: (code) => (code === null ? '—' : (geography?.gridNames.get(code) ?? code)),
      street: (code) => (code === null ? '—' : (geography?.streetNames.get(code) ?? code)),
      department: (code) => geography?.departments.get(code)?.[lang] ?? code,
    }),
    [lang, catalogue, geography],
  );
}

/** Who holds the case: its assignee, else the queue it waits in. */
export function holderOf(record: Pick<CaseRecord, 'assignee' | 'queueKind'>, strings: Strings): string {
  if (record.assignee) return record.assignee.name;
  if (record.queueKind === 'person') return strings.unassigned;
  return strings.queueOf(record.queueKind);
}

export interface DeadlineText {
  readonly label: string;
  readonly text: string;
  readonly overdue: boolean;
  readonly dueMs?: number;
}

/** The deadline the case races now, as a live countdown ("2 h 5 min left", "35 min overdue"). */
export function deadlineTextOf(record: CaseRecord, nowMs: number, strings: Strings): DeadlineText {
  const marked = record.marked;
  const deadline = deadlineOf(record);
  if (!deadline) {
    if (record.status === 'feedback') return { label: strings.deadlines, text: strings.awaitingVerification, overdue: marked };
    return { label: strings.deadlines, text: marked ? strings.markedOverdue : strings.noDeadline, overdue: marked };
  }
  const left = deadline.dueMs - nowMs;
  return {
    label: strings.deadlineName(deadline.which),
    text: left >= 0 ? strings.timeLeft(strings.duration(left)) : strings.overdueBy(strings.duration(-left)),
    overdue: left < 0 || marked,
    dueMs: deadline.dueMs,
  };
}

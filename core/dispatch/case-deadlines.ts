import { addWorkingMinutes, type WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Category } from '../catalogue/catalogue.ts';

export interface CaseDeadlines {
  readonly acceptDueAt: Date;
  /** Due if accepted at the accept deadline; recomputed from the actual acceptance when it happens. */
  readonly resolveDueAt: Date;
}

/** Deadlines from the category: calendar time, or working time on the calendar where the category says so. */
export function caseDeadlines(category: Pick<Category, 'acceptMinutes' | 'resolveMinutes' | 'workingTime'>, from: Date, calendar: WorkingCalendar): CaseDeadlines {
  const add = (start: Date, minutes: number): Date =>
    category.workingTime ? addWorkingMinutes(start, minutes, calendar) : new Date(start.getTime() + minutes * 60_000);
  const acceptDueAt = add(from, category.acceptMinutes);
  return { acceptDueAt, resolveDueAt: add(acceptDueAt, category.resolveMinutes) };
}

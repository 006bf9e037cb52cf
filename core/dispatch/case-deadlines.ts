import { addWorkingMinutes, type WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Category } from '../catalogue/catalogue.ts';

export interface CaseDeadlines {
  readonly acceptDueAt: Date;
  /** Due if accepted at the accept deadline; recomputed from the actual acceptance when it happens. */
  readonly resolveDueAt: Date;
}

/** `minutes` after `start`: calendar time, or working time on the calendar where the category counts that. */
export function dueAfter(start: Date, minutes: number, category: Pick<Category, 'workingTime'>, calendar: WorkingCalendar): Date {
  return category.workingTime ? addWorkingMinutes(start, minutes, calendar) : new Date(start.getTime() + minutes * 60_000);
}

/** Deadlines from the category: calendar time, or working time on the calendar where the category says so. */
export function caseDeadlines(category: Pick<Category, 'acceptMinutes' | 'resolveMinutes' | 'workingTime'>, from: Date, calendar: WorkingCalendar): CaseDeadlines {
  const acceptDueAt = dueAfter(from, category.acceptMinutes, category, calendar);
  return { acceptDueAt, resolveDueAt: dueAfter(acceptDueAt, category.resolveMinutes, category, calendar) };
}

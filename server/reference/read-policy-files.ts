import { readFileSync } from 'node:fs';
import { parseWorkingCalendar } from '../../core/calendar/parse-working-calendar.ts';
import type { WorkingCalendar } from '../../core/calendar/working-calendar.ts';
import { parseEscalationRules, type EscalationRule } from '../../core/case-loop/escalation-rules.ts';
import { ConfigError } from '../config.ts';

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the ${what} file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the ${what} file ${path} is not JSON: ${(error as Error).message}`);
  }
}

/** The working calendar and the escalation rules: policy as data, checked at start. */
export function readPolicyFiles(paths: { workingCalendarFile: string; escalationRulesFile: string }): { calendar: WorkingCalendar; escalationRules: EscalationRule[] } {
  const calendar = parseWorkingCalendar(readJson(paths.workingCalendarFile, 'working calendar'));
  if (!calendar.ok) throw new ConfigError(`working calendar ${paths.workingCalendarFile}: ${calendar.message}`);
  const rules = parseEscalationRules(readJson(paths.escalationRulesFile, 'escalation rules'));
  if (!rules.ok) throw new ConfigError(`escalation rules ${paths.escalationRulesFile}: ${rules.message}`);
  return { calendar: calendar.calendar, escalationRules: rules.rules };
}

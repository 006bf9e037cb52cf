import { type FormEvent, useEffect, useState } from 'react';
import type { CaseCommandType } from '../../core/case-loop/case-command.ts';
import type { CaseSummary } from '../../core/cases/case-summary.ts';
import type { GridServant } from '../../core/people/person.ts';
import { useLanguage } from '../app/i18n.tsx';
import type { CommandField } from '../app/strings.ts';
import type { ApiClient } from '../http/api-client.ts';
import { COMMAND_FIELDS } from '../live/case-commands.ts';
import type { GeographyData } from '../state/geography-data.ts';

export interface CommandFormProps {
  readonly type: CaseCommandType;
  readonly summary: CaseSummary;
  readonly api: ApiClient;
  readonly geography: GeographyData | undefined;
  readonly sending: boolean;
  readonly onSubmit: (command: Record<string, unknown>) => void;
  readonly onCancel: () => void;
}

type Values = Partial<Record<CommandField, string>>;

const TEXTAREAS: ReadonlySet<CommandField> = new Set(['reason', 'note', 'result', 'comment', 'requirements', 'answer']);
const OPTIONAL: ReadonlySet<CommandField> = new Set(['note', 'comment']);

/** `<input type="datetime-local">` gives a wall-clock time; the district's is Beijing's. */
function beijingIso(local: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+08:00` : local;
}

function initialValues(type: CaseCommandType, summary: CaseSummary): Values {
  switch (type) {
    case 'merge':
      return { intoCaseNumber: summary.duplicateOf ?? '' };
    case 'move':
      return { gridCode: summary.nearBoundary?.gridCode ?? '' };
    case 'verify':
      return { passed: 'true' };
    case 'decide-extension':
      return { approve: 'true' };
    case 'rate':
      return { score: '5', fixed: 'true' };
    case 'escalate':
      return { escalateReason: 'dispatcher' };
    default:
      return {};
  }
}

/** The command as the API takes it: `{type, …fields}`, optional fields left out when empty. */
function commandOf(type: CaseCommandType, values: Values): Record<string, unknown> {
  const command: Record<string, unknown> = { type };
  for (const field of COMMAND_FIELDS[type]) {
    const value = values[field]?.trim() ?? '';
    if (value === '' && OPTIONAL.has(field)) continue;
    switch (field) {
      case 'passed':
      case 'approve':
      case 'fixed':
        command[field] = value === 'true';
        break;
      case 'score':
        command[field] = Number(value);
        break;
      case 'escalateReason':
        command['reason'] = value;
        break;
      case 'until':
      case 'dueAt':
        command[field] = beijingIso(value);
        break;
      default:
        command[field] = value;
    }
  }
  return command;
}

/** The fields one command needs, asked inline in the case panel. */
export function CommandForm({ type, summary, api, geography, sending, onSubmit, onCancel }: CommandFormProps) {
  const { lang, strings } = useLanguage();
  const [values, setValues] = useState<Values>(() => initialValues(type, summary));
  const [people, setPeople] = useState<readonly GridServant[]>();
  const fields = COMMAND_FIELDS[type];
  const gridCode = summary.gridCode;

  useEffect(() => {
    if (!fields.includes('personId') || gridCode === null) return;
    const controller = new AbortController();
    api.personnel(gridCode, controller.signal).then(
      (answer) => {
        // The case's own department first, then everyone else on the grid; on duty before off.
        const sorted = [...answer.people].sort(
          (a, b) => Number(b.departmentCode === summary.departmentCode) - Number(a.departmentCode === summary.departmentCode) || Number(b.onDuty) - Number(a.onDuty),
        );
        setPeople(sorted);
      },
      () => setPeople([]),
    );
    return () => controller.abort();
  }, [api, fields, gridCode, summary.departmentCode]);

  const set = (field: CommandField) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!sending) onSubmit(commandOf(type, values));
  };
  const choice = (field: CommandField, options: readonly (readonly [string, string])[]) => (
    <fieldset className="command-form__choice" key={field}>
      <legend>{strings.fieldLabel(field)}</legend>
      {options.map(([value, label]) => (
        <label key={value}>
          <input type="radio" name={field} value={value} checked={values[field] === value} onChange={() => set(field)(value)} />
          {label}
        </label>
      ))}
    </fieldset>
  );

  return (
    <form className="command-form" data-testid="command-form" data-command={type} onSubmit={submit}>
      <p className="command-form__title">{strings.commandName(type)}</p>
      {fields.map((field) => {
        switch (field) {
          case 'passed':
            return choice(field, [['true', strings.passed], ['false', strings.notPassed]]);
          case 'approve':
            return choice(field, [['true', strings.approve], ['false', strings.deny]]);
          case 'fixed':
            return choice(field, [['true', strings.fixed], ['false', strings.notFixed]]);
          case 'score':
            return choice(field, ['1', '2', '3', '4', '5'].map((n) => [n, n] as const));
          case 'escalateReason':
            return choice(field, ['dispatcher', 'several-departments'].map((r) => [r, strings.escalateReason(r)] as const));
          case 'personId':
            return (
              <label className="command-form__field" key={field}>
                <span>{strings.fieldLabel(field)}</span>
                <select name={field} required value={values[field] ?? ''} onChange={(e) => set(field)(e.target.value)}>
                  <option value="" disabled>
                    {people === undefined ? strings.peopleLoading : strings.choosePerson}
                  </option>
                  {people?.map((person) => (
                    <option key={person.id} value={person.id} disabled={!person.onDuty}>
                      {`${person.name} · ${geography?.departments.get(person.departmentCode)?.[lang] ?? person.departmentCode} · ${person.onDuty ? strings.onDuty : strings.offDuty}`}
                    </option>
                  ))}
                </select>
              </label>
            );
          case 'until':
          case 'dueAt':
            return (
              <label className="command-form__field" key={field}>
                <span>{strings.fieldLabel(field)}</span>
                <input type="datetime-local" name={field} required value={values[field] ?? ''} onChange={(e) => set(field)(e.target.value)} />
              </label>
            );
          default:
            return (
              <label className="command-form__field" key={field}>
                <span>{strings.fieldLabel(field)}</span>
                {TEXTAREAS.has(field) ? (
                  <textarea name={field} rows={2} required={!OPTIONAL.has(field)} value={values[field] ?? ''} onChange={(e) => set(field)(e.target.value)} />
                ) : (
                  <input name={field} required={!OPTIONAL.has(field)} value={values[field] ?? ''} onChange={(e) => set(field)(e.target.value)} />
                )}
              </label>
            );
        }
      })}
      <div className="command-form__actions">
        <button type="submit" className="button" disabled={sending}>
          {sending ? strings.commandSending : strings.commandSubmit}
        </button>
        <button type="button" className="link-button" onClick={onCancel}>
          {strings.cancel}
        </button>
      </div>
    </form>
  );
}

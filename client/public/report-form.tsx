import { type FormEvent, useState } from 'react';
import type { Catalogue } from '../../core/catalogue/catalogue.ts';
import { REPORT_LIMITS } from '../../core/cases/report.ts';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { Loadable } from '../state/loadable.ts';
import { describePublicError } from './describe-public-error.ts';
import { type FiledReport, fileReport, newReportId } from './public-api.ts';
import { formatDeadline, type PublicLang, type PublicStrings } from './public-strings.ts';

export interface ReportFormProps {
  /** Where the problem is (WGS-84): the point the resident clicked or typed. */
  readonly point: LngLat;
  readonly catalogue: Loadable<Catalogue>;
  readonly lang: PublicLang;
  readonly strings: PublicStrings;
}

type Sending = { readonly status: 'idle' } | { readonly status: 'sending' } | { readonly status: 'failed'; readonly error: Error } | { readonly status: 'filed'; readonly filed: FiledReport };

/** The catalogue's categories grouped by work area, in the catalogue's order. */
function CategoryOptions({ catalogue, lang }: { readonly catalogue: Catalogue; readonly lang: PublicLang }) {
  return (
    <>
      {catalogue.workAreas.map((area) => {
        const categories = catalogue.categories.filter((c) => c.workArea === area.code);
        if (categories.length === 0) return null;
        return (
          <optgroup key={area.code} label={lang === 'zh' ? area.zh : area.en}>
            {categories.map((category) => (
              <option key={category.code} value={category.code}>
                {lang === 'zh' ? category.zh : category.en}
              </option>
            ))}
          </optgroup>
        );
      })}
    </>
  );
}

/**
 * "Report a problem here": a resident report through the ordinary intake (POST /api/cases, channel
 * resident-app). The page answers with the case number and its deadlines, nothing else. The report
 * id is kept while the content is unchanged, so a retry after a lost answer files nothing twice.
 */
export function ReportForm({ point, catalogue, lang, strings }: ReportFormProps) {
  const [category, setCategory] = useState('');
  const [description, setDescription] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [reportId, setReportId] = useState(newReportId);
  const [sending, setSending] = useState<Sending>({ status: 'idle' });

  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    setReportId(newReportId());
    if (sending.status === 'failed') setSending({ status: 'idle' });
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (sending.status === 'sending' || category === '') return;
    setSending({ status: 'sending' });
    const reporter = { ...(name.trim() ? { name: name.trim() } : {}), ...(phone.trim() ? { phone: phone.trim() } : {}) };
    fileReport({ reportId, category, point, description, ...(Object.keys(reporter).length > 0 ? { reporter } : {}) })
      .then((filed) => setSending({ status: 'filed', filed }))
      .catch((error: unknown) => setSending({ status: 'failed', error: error instanceof Error ? error : new Error(String(error)) }));
  };

  const reset = (): void => {
    setCategory('');
    setDescription('');
    setReportId(newReportId());
    setSending({ status: 'idle' });
  };

  if (sending.status === 'filed') {
    const { filed } = sending;
    return (
      <section className="public-report public-report--filed" data-testid="report-result" data-case-number={filed.caseNumber} aria-live="polite">
        <h2 className="public-heading">{strings.reportFiled}</h2>
        <dl className="public-report__ack">
          <dt>{strings.caseNumber}</dt>
          <dd className="public-report__number" data-testid="case-number">
            {filed.caseNumber}
          </dd>
          <dt>{strings.acceptDue}</dt>
          <dd data-testid="accept-due">{formatDeadline(filed.acceptDueAt, strings)}</dd>
          <dt>{strings.resolveDue}</dt>
          <dd data-testid="resolve-due">{formatDeadline(filed.resolveDueAt, strings)}</dd>
        </dl>
        <p className="panel-note">{strings.keepNumber}</p>
        <button type="button" className="link-button" onClick={reset}>
          {strings.reportAnother}
        </button>
      </section>
    );
  }

  const ready = catalogue.status === 'ready';
  return (
    <form className="public-report" data-testid="report-form" onSubmit={submit}>
      <h2 className="public-heading">{strings.reportHeading}</h2>
      <p className="panel-note">{strings.reportIntro}</p>
      <label className="public-field">
        <span className="public-field__label">{strings.category}</span>
        <select name="category" required value={category} disabled={!ready} onChange={(e) => edit(setCategory)(e.target.value)}>
          <option value="" disabled>
            {catalogue.status === 'loading' ? strings.categoriesLoading : strings.chooseCategory}
          </option>
          {ready && <CategoryOptions catalogue={catalogue.data} lang={lang} />}
        </select>
      </label>
      {catalogue.status === 'failed' && (
        <p className="panel-error" role="alert" data-testid="categories-error">
          {strings.categoriesFailed} {describePublicError(catalogue.error, strings)}
        </p>
      )}
      <label className="public-field">
        <span className="public-field__label">
          {strings.description}
          <span className="public-field__count">{strings.descriptionCount(description.length, REPORT_LIMITS.descriptionChars)}</span>
        </span>
        <textarea name="description" rows={4} maxLength={REPORT_LIMITS.descriptionChars} value={description} onChange={(e) => edit(setDescription)(e.target.value)} />
      </label>
      <div className="public-report__reporter">
        <label className="public-field">
          <span className="public-field__label">
            {strings.reporterName}
            <span className="public-field__optional">{strings.optional}</span>
          </span>
          <input name="reporter-name" autoComplete="name" maxLength={REPORT_LIMITS.reporterNameChars} value={name} onChange={(e) => edit(setName)(e.target.value)} />
        </label>
        <label className="public-field">
          <span className="public-field__label">
            {strings.reporterPhone}
            <span className="public-field__optional">{strings.optional}</span>
          </span>
          <input name="reporter-phone" type="tel" autoComplete="tel" maxLength={REPORT_LIMITS.reporterPhoneChars} value={phone} onChange={(e) => edit(setPhone)(e.target.value)} />
        </label>
      </div>
      {sending.status === 'failed' && (
        <p className="panel-error" role="alert" data-testid="report-error">
          {describePublicError(sending.error, strings, 'report')}
        </p>
      )}
      <button type="submit" className="button" disabled={!ready || category === '' || sending.status === 'sending'}>
        {sending.status === 'sending' ? strings.submitting : strings.submit}
      </button>
    </form>
  );
}

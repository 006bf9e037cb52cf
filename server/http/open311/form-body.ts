import type { FastifyInstance } from 'fastify';
import { CREATE_REQUEST_FIELDS, type CreateRequestFields } from '../../../core/open311/create-request.ts';
import { badParameter } from './render.ts';

/** The largest POST body accepted: a request is a few fields of text (the description ≤ 4,000 characters). */
export const FORM_BODY_LIMIT_BYTES = 64 * 1024;

const FORM = 'application/x-www-form-urlencoded';

/**
 * POST requests sends `application/x-www-form-urlencoded; charset=utf-8`: parsed with URLSearchParams
 * (UTF-8, `+` as a space), in this plugin's scope only. A parser another plugin registered for the
 * type is replaced here, not there.
 */
export function registerFormParser(scope: FastifyInstance): void {
  if (scope.hasContentTypeParser(FORM)) scope.removeContentTypeParser(FORM);
  scope.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES }, (_request, body, done) => {
    done(null, new URLSearchParams(body as string));
  });
}

const ATTRIBUTE = /^attribute\[([^\][]{1,100})\](\[\])?$/;

/**
 * The spec's POST fields from a parsed form: each field once (an empty one counts as absent), and
 * `attribute[code]=v` / `attribute[code][]=v` (several values, for a multivaluelist) by code.
 * Fields the spec does not define (jurisdiction_id, locale, extensions) are not ours to refuse.
 */
export function createRequestFields(form: URLSearchParams): CreateRequestFields {
  const fields: Record<string, string> = {};
  const attributes = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const [key, value] of form) {
    const attribute = ATTRIBUTE.exec(key);
    if (attribute) {
      const code = attribute[1]!;
      if (!attribute[2] && attributes.has(code)) throw badParameter(`attribute[${code}] was given more than once (a multivaluelist is sent as attribute[${code}][]=…)`);
      attributes.set(code, [...(attributes.get(code) ?? []), value]);
      continue;
    }
    if (!(CREATE_REQUEST_FIELDS as readonly string[]).includes(key)) continue;
    if (seen.has(key)) throw badParameter(`${key} was given more than once`);
    seen.add(key);
    if (value.trim() !== '') fields[key] = value;
  }
  return { ...fields, attributes };
}

/** One field of the form or the query string (api_key may come in either); several copies are refused. */
export function formOrQueryValue(form: URLSearchParams, query: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const inForm = form.getAll(name);
  if (inForm.length > 1) throw badParameter(`${name} was given more than once`);
  const raw = inForm[0] ?? query[name];
  if (Array.isArray(raw)) throw badParameter(`${name} was given more than once`);
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
}

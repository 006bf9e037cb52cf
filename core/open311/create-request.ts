/**
 * POST requests: the spec's form fields checked and turned into what our intake takes. Pure: the
 * caller parses the form, checks the API key, hashes and files the report.
 */
import type { Reporter } from '../cases/report.ts';
import { REPORT_LIMITS } from '../cases/report.ts';
import type { Category } from '../catalogue/catalogue.ts';
import { isValidLngLat } from '../geo/lng-lat.ts';
import type { O311Error } from './georeport-types.ts';
import { checkAttributes } from './services.ts';

/** The spec's POST fields, as submitted (an empty field is the same as a missing one). */
export interface CreateRequestFields {
  readonly service_code?: string;
  readonly lat?: string;
  readonly long?: string;
  readonly address_string?: string;
  readonly address_id?: string;
  readonly email?: string;
  readonly device_id?: string;
  readonly account_id?: string;
  readonly first_name?: string;
  readonly last_name?: string;
  readonly phone?: string;
  readonly description?: string;
  readonly media_url?: string;
  /** `attribute[code]=v` and `attribute[code][]=v`, by code. */
  readonly attributes: ReadonlyMap<string, readonly string[]>;
}

export const CREATE_REQUEST_FIELDS = [
  'service_code', 'lat', 'long', 'address_string', 'address_id', 'email', 'device_id', 'account_id',
  'first_name', 'last_name', 'phone', 'description', 'media_url',
] as const;

/** What intake is given, less the report id (the server derives it) and the channel. */
export interface CheckedCreateRequest {
  readonly category: string;
  readonly lng: number;
  readonly lat: number;
  readonly description: string;
  readonly reporter?: Reporter;
  readonly photos: readonly string[];
  /** Echoed in the answer. */
  readonly accountId: string | null;
  /** Everything the request says, for recognising the same POST sent again. */
  readonly canonical: Readonly<Record<string, unknown>>;
}

export type CreateRequestCheck = { readonly ok: true; readonly request: CheckedCreateRequest } | { readonly ok: false; readonly status: 400 | 404; readonly errors: readonly O311Error[] };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const HAN = /\p{Script=Han}/u;
const MEDIA_URL_CHARS = REPORT_LIMITS.photoChars;

function present(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** Given name and family name as one: 王 + 芳 → 王芳 (Chinese order), John + Smith → John Smith. */
export function fullName(first: string | undefined, last: string | undefined): string | undefined {
  if (!first && !last) return undefined;
  if (!first || !last) return first ?? last;
  return HAN.test(first) || HAN.test(last) ? `${last}${first}` : `${first} ${last}`;
}

/**
 * Checks a POST's fields against the catalogue: service_code (400 missing, 404 unknown), a location
 * as lat + long (an address cannot be geocoded here: 400), the service's attributes, and the
 * limits our reports have. Every problem is reported at once, each as an error of the spec's list.
 */
export function checkCreateRequest(fields: CreateRequestFields, category: (code: string) => Category | undefined): CreateRequestCheck {
  const code = present(fields.service_code);
  if (code === undefined) return { ok: false, status: 400, errors: [{ code: 400, description: 'service_code was not provided: choose one from services.xml / services.json' }] };
  const found = category(code);
  if (!found) return { ok: false, status: 404, errors: [{ code: 404, description: `service_code "${code.slice(0, 40)}" was not found: see services.xml / services.json` }] };

  const problems: string[] = [];
  const latText = present(fields.lat);
  const longText = present(fields.long);
  let lat = NaN;
  let lng = NaN;
  if (latText === undefined && longText === undefined) {
    if (present(fields.address_string) !== undefined || present(fields.address_id) !== undefined) {
      problems.push('address_string and address_id cannot be located here (no geocoder): send lat and long (WGS84) instead');
    } else problems.push('a location was not provided: send lat and long (WGS84)');
  } else if (latText === undefined || longText === undefined) {
    problems.push('lat and long must both be provided');
  } else {
    lat = NUMBER.test(latText) ? Number(latText) : NaN;
    lng = NUMBER.test(longText) ? Number(longText) : NaN;
    if (!Number.isFinite(lat) || !Number.isFinite(lng)) problems.push(`lat and long must be decimal degrees (WGS84); got lat "${latText.slice(0, 40)}", long "${longText.slice(0, 40)}"`);
    else if (!isValidLngLat(lng, lat)) problems.push(`lat must be −90..90 and long −180..180; got lat ${lat}, long ${lng}`);
  }

  const rawDescription = fields.description ?? '';
  if (rawDescription.length > REPORT_LIMITS.descriptionChars) problems.push(`description is ${rawDescription.length} characters; the limit is ${REPORT_LIMITS.descriptionChars}`);

  const attributes = checkAttributes(found, fields.attributes);
  if (!attributes.ok) problems.push(...attributes.problems);
  const description = [rawDescription.trim(), ...(attributes.ok ? attributes.lines : [])].filter((s) => s !== '').join('\n');
  if (attributes.ok && rawDescription.length <= REPORT_LIMITS.descriptionChars && description.length > REPORT_LIMITS.descriptionChars) {
    problems.push(`description and attributes together are ${description.length} characters; the limit is ${REPORT_LIMITS.descriptionChars}`);
  }

  const email = present(fields.email);
  if (email !== undefined && !EMAIL.test(email)) problems.push('email must be an email address');
  const accountId = present(fields.account_id);
  const name = fullName(present(fields.first_name), present(fields.last_name));
  if (name !== undefined && name.length > REPORT_LIMITS.reporterNameChars) problems.push(`first_name and last_name together are at most ${REPORT_LIMITS.reporterNameChars} characters`);
  const phone = present(fields.phone);
  if (phone !== undefined && phone.length > REPORT_LIMITS.reporterPhoneChars) problems.push(`phone is at most ${REPORT_LIMITS.reporterPhoneChars} characters`);
  // The reporter's account and email are kept together as the reporter's id, for a call-back.
  const reporterId = [accountId && `account:${accountId}`, email && `email:${email}`].filter(Boolean).join(' ') || undefined;
  if (reporterId !== undefined && reporterId.length > REPORT_LIMITS.reporterIdChars) problems.push(`account_id and email are too long together: at most ${REPORT_LIMITS.reporterIdChars} characters with their labels ("account:…", "email:…")`);
  const mediaUrl = present(fields.media_url);
  if (mediaUrl !== undefined && (!/^https?:\/\/[^\s]+$/i.test(mediaUrl) || mediaUrl.length > MEDIA_URL_CHARS)) problems.push(`media_url must be an http(s) URL of at most ${MEDIA_URL_CHARS} characters`);
  const deviceId = present(fields.device_id);
  if (deviceId !== undefined && deviceId.length > 200) problems.push('device_id is at most 200 characters');

  if (problems.length > 0) return { ok: false, status: 400, errors: problems.map((description) => ({ code: 400, description })) };
  const reporter: Reporter | undefined = name || phone || reporterId ? { ...(name ? { name } : {}), ...(phone ? { phone } : {}), ...(reporterId ? { id: reporterId } : {}) } : undefined;
  return {
    ok: true,
    request: {
      category: found.code,
      lng,
      lat,
      description,
      ...(reporter ? { reporter } : {}),
      photos: mediaUrl ? [mediaUrl] : [],
      accountId: accountId ?? null,
      canonical: {
        service_code: found.code,
        lat,
        long: lng,
        description: rawDescription,
        email: email ?? null,
        first_name: present(fields.first_name) ?? null,
        last_name: present(fields.last_name) ?? null,
        phone: phone ?? null,
        media_url: mediaUrl ?? null,
        device_id: deviceId ?? null,
        account_id: accountId ?? null,
        attributes: [...fields.attributes.entries()].map(([k, v]) => [k, [...v]]).sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)),
      },
    },
  };
}

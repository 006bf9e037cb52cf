import type { FastifyReply, FastifyRequest } from 'fastify';
import { SPARK_ITEM_NAMES, type O311Error } from '../../../core/open311/georeport-types.ts';
import { toXmlDocument, type XmlValue } from '../../../core/open311/xml.ts';

/** The answer's format, from the URL's suffix; the spec requires XML, so XML is the default. */
export type Open311Format = 'xml' | 'json';

export function formatOfUrl(url: string): Open311Format {
  return /\.json$/i.test(url.split('?')[0]!) ? 'json' : 'xml';
}

/** `name.json` / `name.xml` → [name, format]; undefined for any other suffix. */
export function splitFormat(file: string): [string, Open311Format] | undefined {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? [m[1]!, m[2] as Open311Format] : undefined;
}

/** A request the spec's way refused: the HTTP status and the spec's error list. */
export class Open311Failure extends Error {
  override readonly name = 'Open311Failure';
  constructor(
    readonly statusCode: 400 | 403 | 404 | 500,
    readonly errors: readonly O311Error[],
    readonly retryAfterSeconds?: number,
  ) {
    super(errors.map((e) => e.description).join('; '));
  }
}

export const badParameter = (description: string): Open311Failure => new Open311Failure(400, [{ code: 400, description }]);
export const notFound = (description: string): Open311Failure => new Open311Failure(404, [{ code: 404, description }]);

/** Sends `value` as JSON, or as XML with `root` as the document element (arrays through the Spark convention). */
export function sendOpen311(reply: FastifyReply, format: Open311Format, status: number, root: string, value: object): FastifyReply {
  reply.code(status);
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
  return reply.type('text/xml; charset=utf-8').send(toXmlDocument(root, value as XmlValue, SPARK_ITEM_NAMES));
}

export function sendErrors(request: FastifyRequest, reply: FastifyReply, failure: Open311Failure): FastifyReply {
  if (failure.retryAfterSeconds !== undefined) reply.header('retry-after', String(failure.retryAfterSeconds));
  return sendOpen311(reply, formatOfUrl(request.url), failure.statusCode, 'errors', failure.errors.map((e) => ({ code: e.code, description: e.description })));
}

/**
 * RFC 4180 CSV read as a stream, one record at a time, so a file of a million rows never sits in
 * memory whole: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF line ends; a
 * UTF-8 byte-order mark is ignored. Bytes must be UTF-8. Records and fields are bounded, so a file
 * that is not CSV at all (a binary, a dump without line breaks) fails fast with where and why.
 */
export interface CsvRecord {
  readonly fields: string[];
  /** 1-based number of the record in the file (the header is record 1). */
  readonly record: number;
  /** 1-based line the record starts on (differs from `record` after quoted line breaks). */
  readonly line: number;
}

export interface CsvReadOptions {
  /** Longest record accepted, in characters (default 1,000,000). */
  readonly maxRecordChars?: number;
  /** Most fields in one record (default 1,000). */
  readonly maxFields?: number;
}

/** The text is not readable as CSV at all (not UTF-8, an unterminated quote, a record beyond the limits). */
export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

type Parsed = { readonly fields: string[]; readonly end: number; readonly lineBreaks: number } | undefined;

/**
 * One record of `text` starting at `start`, or undefined when the text ends before the record does
 * (more input is needed, unless this is the end of the file: then `atEnd` completes it).
 */
function parseRecord(text: string, start: number, atEnd: boolean, maxFields: number, line: number): Parsed {
  const fields: string[] = [];
  let i = start;
  let lineBreaks = 0;
  const n = text.length;
  for (;;) {
    if (fields.length >= maxFields) throw new CsvFormatError(line, `more than ${maxFields} fields in one record: not a CSV of this kind?`);
    if (i < n && text.charCodeAt(i) === QUOTE) {
      // Quoted: up to the next quote not followed by another.
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) {
          if (atEnd) throw new CsvFormatError(line, 'the file ends inside a quoted field (a quote is never closed)');
          return undefined;
        }
        if (q + 1 >= n && !atEnd) return undefined; // cannot tell "" from the closing quote yet
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      for (let k = value.indexOf('\n'); k >= 0; k = value.indexOf('\n', k + 1)) lineBreaks++;
      fields.push(value);
      if (i >= n) {
        if (!atEnd) return undefined;
        return { fields, end: i, lineBreaks };
      }
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === LF) return { fields, end: i + 1, lineBreaks };
      if (c === CR) {
        if (i + 1 >= n && !atEnd) return undefined;
        return { fields, end: text.charCodeAt(i + 1) === LF ? i + 2 : i + 1, lineBreaks };
      }
      throw new CsvFormatError(line + lineBreaks, `a quoted field is followed by "${text[i]}" instead of a comma or a line end`);
    }
    // Unquoted: up to the next comma or line end.
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === COMMA || c === LF || c === CR) break;
      j++;
    }
    if (j >= n && !atEnd) return undefined;
    fields.push(text.slice(i, j));
    if (j >= n) return { fields, end: j, lineBreaks };
    const c = text.charCodeAt(j);
    if (c === COMMA) {
      i = j + 1;
      continue;
    }
    if (c === LF) return { fields, end: j + 1, lineBreaks };
    if (j + 1 >= n && !atEnd) return undefined;
    return { fields, end: text.charCodeAt(j + 1) === LF ? j + 2 : j + 1, lineBreaks };
  }
}

/** The records of a CSV byte stream (a file's read stream, say), in order. Blank lines are skipped. */
export async function* readCsvRecords(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord> {
  const maxRecordChars = options.maxRecordChars ?? 1_000_000;
  const maxFields = options.maxFields ?? 1_000;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let text = '';
  let pos = 0;
  let record = 0;
  let line = 1;
  let first = true;

  const decode = (chunk: Uint8Array | string, stream: boolean): string => {
    if (typeof chunk === 'string') return chunk;
    try {
      return decoder.decode(chunk, { stream });
    } catch {
      throw new CsvFormatError(line, 'the file is not UTF-8 text (save the CSV as UTF-8)');
    }
  };

  function* drain(atEnd: boolean): Generator<CsvRecord> {
    for (;;) {
      if (pos >= text.length) return;
      const parsed = parseRecord(text, pos, atEnd, maxFields, line);
      if (!parsed) {
        if (text.length - pos > maxRecordChars) throw new CsvFormatError(line, `a record longer than ${maxRecordChars.toLocaleString('en')} characters: not a CSV of this kind?`);
        return;
      }
      if (parsed.end - pos > maxRecordChars) throw new CsvFormatError(line, `a record longer than ${maxRecordChars.toLocaleString('en')} characters: not a CSV of this kind?`);
      const startLine = line;
      line += parsed.lineBreaks + 1;
      pos = parsed.end;
      const blank = parsed.fields.length === 1 && parsed.fields[0] === '';
      if (!blank) {
        record++;
        yield { fields: parsed.fields, record, line: startLine };
      }
    }
  }

  for await (const chunk of source) {
    let piece = decode(chunk, true);
    if (first && piece.length > 0) {
      // TextDecoder drops a BOM itself; a string source may still carry one.
      if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
      first = false;
    }
    text = pos < text.length ? text.slice(pos) + piece : piece;
    pos = 0;
    yield* drain(false);
  }
  const rest = decode(new Uint8Array(0), false);
  text = text.slice(pos) + rest;
  pos = 0;
  yield* drain(true);
}

/** One CSV field, quoted when it must be (RFC 4180). */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Bytes as base64 text and back, with the fastest the runtime has: the browser's
 * `setFromBase64` / `toBase64` (Chromium 140+, Firefox 133+, Safari 18.2+), Node's Buffer,
 * and a plain loop for anything older. Packed live events travel as base64 inside socket.io's JSON
 * (see PackedEventsWire in cases-api.ts for why not a binary attachment).
 */
interface NodeBuffer {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: 'base64'): string };
  allocUnsafeSlow(size: number): Uint8Array & { write(text: string, offset: number, encoding: 'base64'): number };
}

const toNative = (Uint8Array.prototype as unknown as { toBase64?: (this: Uint8Array) => string }).toBase64;
const intoNative = (Uint8Array.prototype as unknown as { setFromBase64?: (this: Uint8Array, text: string) => { read: number; written: number } }).setFromBase64;
const nodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

function valueAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  const value = code < 128 ? VALUES[code]! : -1;
  if (value < 0) throw new Error(`not base64: ${JSON.stringify(text[i])} at ${i}`);
  return value;
}

/** How many characters of base64 text carry data (its length checked, its padding left out). */
function dataLength(text: string): number {
  if (text.length % 4 !== 0) throw new Error(`not base64: ${text.length} characters`);
  let length = text.length;
  while (length > 0 && text.charCodeAt(length - 1) === 61 /* = */ && text.length - length < 2) length--;
  return length;
}

/** The loop every runtime can run (exported for its tests). */
export function bytesOfBase64Portable(text: string, into?: Uint8Array): Uint8Array {
  const length = dataLength(text);
  const size = (length * 3) >> 2;
  const out = into ? into.subarray(0, size) : new Uint8Array(size);
  let o = 0;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const v = (valueAt(text, i) << 18) | (valueAt(text, i + 1) << 12) | (valueAt(text, i + 2) << 6) | valueAt(text, i + 3);
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  if (length - i === 2) out[o++] = (valueAt(text, i) << 2) | (valueAt(text, i + 1) >> 4);
  else if (length - i === 3) {
    const v = (valueAt(text, i) << 10) | (valueAt(text, i + 1) << 4) | (valueAt(text, i + 2) >> 2);
    out[o++] = v >> 8;
    out[o++] = v & 255;
  }
  return out;
}

/** The loop every runtime can run (exported for its tests). */
export function base64OfPortable(bytes: Uint8Array): string {
  let text = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    text += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  if (bytes.length - i === 1) text += `${ALPHABET[bytes[i]! >> 2]!}${ALPHABET[(bytes[i]! & 3) << 4]!}==`;
  else if (bytes.length - i === 2) {
    const v = (bytes[i]! << 8) | bytes[i + 1]!;
    text += `${ALPHABET[v >> 10]!}${ALPHABET[(v >> 4) & 63]!}${ALPHABET[(v & 15) << 2]!}=`;
  }
  return text;
}

let scratch: Uint8Array | undefined;

/**
 * The bytes of base64 text in a buffer that the next call reuses: read them before calling again.
 * A dashboard decodes a frame of its area each tick; a fresh buffer each time is memory outside the
 * JavaScript heap that the engine counts towards collecting (in a throwaway script of 180 feeds
 * decoding the same frames, not kept, the reused buffer was the cheaper by about a sixth).
 */
export function bytesOfBase64Reused(text: string): Uint8Array {
  const size = (dataLength(text) * 3) >> 2;
  if (!scratch || scratch.length < size) scratch = nodeBuffer ? nodeBuffer.allocUnsafeSlow(Math.max(size, 64 * 1024)) : new Uint8Array(Math.max(size, 64 * 1024));
  if (intoNative) {
    const { written } = intoNative.call(scratch, text);
    return scratch.subarray(0, written);
  }
  if (nodeBuffer) {
    // Node's decoder skips what is not base64 rather than refusing it; the packed columns' own
    // length check (live-columns.ts) catches text that decodes to the wrong bytes.
    const written = (scratch as ReturnType<NodeBuffer['allocUnsafeSlow']>).write(text, 0, 'base64');
    return scratch.subarray(0, written);
  }
  return bytesOfBase64Portable(text, scratch);
}

export function base64Of(bytes: Uint8Array): string {
  if (toNative) return toNative.call(bytes);
  if (nodeBuffer) return nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return base64OfPortable(bytes);
}

import { getIndexMeta, getStartIndexStringFromLowerBound, getStartIndexStringFromUpperBound, INDEX_MAX, INDEX_MIN } from 'rxdb';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';

/*
 * RxDB orders documents in an index by a string: every field rendered to a fixed width
 * (strings space-padded to maxLength, numbers zero-padded) and compared by UTF-16 code unit.
 * Storing those strings verbatim would cost ~2 KB per document per index here (ids are padded
 * to 300 characters), and SQLite compares TEXT as UTF-8, which orders astral characters
 * differently from JavaScript. So each field is encoded into a compact BLOB whose memcmp
 * order is exactly the order of RxDB's padded string:
 *  - fixed-width parts (numbers, booleans; ASCII digits) are stored one byte per character;
 *  - string parts drop the trailing padding; a printable ASCII character is stored as itself
 *    (one byte, 0x21-0x7F), anything else as a tagged token: tags below 0x21 for what sorts
 *    below any printable character, tags from 0x80 for what sorts above. "End of string" must
 *    compare like an endless run of spaces, so a run of k spaces followed by a character x
 *    becomes a single run token that sorts on the correct side of the end token.
 * Keys of ASCII data (ids, phone numbers, ISO dates) are thus barely longer than the text,
 * which keeps the SQLite indexes small: they are most of what an insert writes.
 * Parts are self-delimiting, so concatenated keys compare part by part.
 */

const T_CONTROL = 0x01; // a character below ' ', stored in one byte
const T_RUN_BEFORE_CONTROL = 0x02; // k spaces, then a character below ' ': shorter runs sort lower
const T_END = 0x03; // one byte: what follows is the next part, the same in both keys compared
const T_RUN_BEFORE_HIGH = 0x04; // k spaces, then a character above ' ': shorter runs sort higher
// 0x21-0x7F: that printable ASCII character itself.
const T_HIGH_BYTE = 0x80; // a character from U+0080 to U+00FF, stored in one byte
const T_HIGH_WIDE = 0x81; // any higher UTF-16 code unit, stored in two bytes
const SPACE = 0x20;
const LAST_ASCII = 0x7f;
const MAX_RUN = 0xffff;

type PartKind = 'string' | 'fixed';

export type IndexKeyEncoder<RxDocType> = {
  readonly fields: readonly string[];
  key(doc: RxDocumentData<RxDocType>): Buffer;
  // The same bytes as key(), in a buffer the next keyView() call overwrites: bind it at once.
  keyView(doc: RxDocumentData<RxDocType>): Buffer;
  lowerBound(bounds: readonly unknown[]): Buffer;
  upperBound(bounds: readonly unknown[]): Buffer;
};

function encodedLength(parts: readonly string[], kinds: readonly PartKind[]): number {
  let length = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    length += kinds[i] === 'string' ? 3 * (part.length + 1) : part.length;
  }
  return length;
}

function writeToken(buffer: Buffer, offset: number, tag: number, value: number): number {
  buffer[offset] = tag;
  buffer[offset + 1] = value >>> 8;
  buffer[offset + 2] = value & 0xff;
  return offset + 3;
}

function writeStringPart(buffer: Buffer, start: number, part: string): number {
  let end = part.length;
  while (end > 0 && part.charCodeAt(end - 1) === SPACE) {
    end--;
  }
  let offset = start;
  let i = 0;
  while (i < end) {
    const code = part.charCodeAt(i);
    if (code === SPACE) {
      let run = 0;
      while (part.charCodeAt(i) === SPACE) {
        run++;
        i++;
      }
      // Trailing spaces were stripped, so a non-space character always follows the run.
      const next = part.charCodeAt(i);
      const clamped = Math.min(run, MAX_RUN);
      offset = next < SPACE
        ? writeToken(buffer, offset, T_RUN_BEFORE_CONTROL, clamped)
        : writeToken(buffer, offset, T_RUN_BEFORE_HIGH, MAX_RUN - clamped);
      continue;
    }
    if (code <= LAST_ASCII && code > SPACE) {
      buffer[offset++] = code;
    } else if (code < SPACE) {
      buffer[offset] = T_CONTROL;
      buffer[offset + 1] = code;
      offset += 2;
    } else if (code < 0x100) {
      buffer[offset] = T_HIGH_BYTE;
      buffer[offset + 1] = code;
      offset += 2;
    } else {
      offset = writeToken(buffer, offset, T_HIGH_WIDE, code);
    }
    i++;
  }
  buffer[offset] = T_END;
  return offset + 1;
}

function writeFixedPart(buffer: Buffer, start: number, part: string): number {
  for (let i = 0; i < part.length; i++) {
    buffer[start + i] = part.charCodeAt(i) & 0xff;
  }
  return start + part.length;
}

export function encodeIndexParts(parts: readonly string[], kinds: readonly PartKind[]): Buffer {
  const buffer = Buffer.allocUnsafe(encodedLength(parts, kinds));
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    offset = kinds[i] === 'string' ? writeStringPart(buffer, offset, part) : writeFixedPart(buffer, offset, part);
  }
  return offset === buffer.length ? buffer : buffer.subarray(0, offset);
}

type BoundValue = string | boolean | number | null | undefined;

// One growable buffer per encoder: keys are written into it and bound to SQLite straight away
// (better-sqlite3 copies blobs on bind), so inserting a row allocates no key buffers.
class Scratch {
  buffer = Buffer.allocUnsafe(512);
  // One view object per length, reused: a fresh subarray per key would be garbage per row,
  // and young-generation garbage is most of what a bulk insert costs beyond SQLite itself.
  private views: Buffer[] = [];

  ensure(used: number, extra: number): void {
    if (used + extra > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, used + extra));
      this.buffer.copy(grown, 0, 0, used);
      this.buffer = grown;
      this.views = [];
    }
  }

  view(length: number): Buffer {
    let view = this.views[length];
    if (!view) {
      view = this.buffer.subarray(0, length);
      this.views[length] = view;
    }
    return view;
  }
}

type FieldWriter<RxDocType> = (doc: RxDocumentData<RxDocType>, scratch: Scratch, offset: number) => number;

function fieldWriter<RxDocType>(meta: ReturnType<typeof getIndexMeta<RxDocType>>[number], kind: PartKind): FieldWriter<RxDocType> {
  if (kind === 'string') {
    // RxDB pads the raw value to maxLength; padding never changes the encoding, so skip it.
    const getValue = meta.getValue as (doc: RxDocumentData<RxDocType>) => unknown;
    return (doc, scratch, offset) => {
      const value = getValue(doc);
      const text = value ? (value as string) : '';
      scratch.ensure(offset, 3 * (text.length + 1));
      return writeStringPart(scratch.buffer, offset, text);
    };
  }
  const render = meta.getIndexStringPart;
  const renderWriter: FieldWriter<RxDocType> = (doc, scratch, offset) => {
    const part = render(doc);
    scratch.ensure(offset, part.length);
    return writeFixedPart(scratch.buffer, offset, part);
  };
  const getValue = meta.getValue as (doc: RxDocumentData<RxDocType>) => unknown;
  if (meta.schemaPart.type === 'boolean') {
    return (doc, scratch, offset) => {
      scratch.ensure(offset, 1);
      scratch.buffer[offset] = getValue(doc) ? DIGIT_ONE : DIGIT_ZERO;
      return offset + 1;
    };
  }
  const lengths = meta.parsedLengths;
  return lengths && numberFastPathFits(lengths) ? numberWriter(getValue, lengths, renderWriter) : renderWriter;
}

const DIGIT_ZERO = 0x30;
const DIGIT_ONE = 0x31;

type NumberLengths = NonNullable<ReturnType<typeof getIndexMeta>[number]['parsedLengths']>;

// Integer arithmetic on doubles is exact below 2^53, and toString() never switches to
// exponent notation there: within that range the digits written below are RxDB's string.
function numberFastPathFits(lengths: NumberLengths): boolean {
  const { minimum, maximum, nonDecimals, decimals } = lengths;
  return Number.isSafeInteger(minimum) && Number.isSafeInteger(maximum) && Number.isSafeInteger(maximum - minimum)
    && String(maximum - minimum).length === nonDecimals && decimals >= 0 && decimals <= 15;
}

// Zero-padded decimal digits of a safe non-negative integer known to fit in width.
function writeDigits(buffer: Buffer, offset: number, width: number, value: number): void {
  let rest = value;
  for (let i = offset + width - 1; i >= offset; i--) {
    const digit = rest % 10;
    buffer[i] = DIGIT_ZERO + digit;
    rest = (rest - digit) / 10;
  }
}

/*
 * RxDB's getIndexStringPart for numbers, without building a string per document per index:
 * the same clamping and the same floating-point steps, the digits written straight into the
 * key. A value it cannot render exactly (not a number, NaN, beyond 2^53) goes through RxDB.
 */
function numberWriter<RxDocType>(
  getValue: (doc: RxDocumentData<RxDocType>) => unknown,
  lengths: NumberLengths,
  fallback: FieldWriter<RxDocType>,
): FieldWriter<RxDocType> {
  const { minimum, maximum, roundedMinimum, nonDecimals, decimals, multiplier } = lengths;
  const width = nonDecimals + decimals;
  const limit = 10 ** nonDecimals;
  return (doc, scratch, offset) => {
    const raw = getValue(doc);
    if (raw !== undefined && typeof raw !== 'number') {
      return fallback(doc, scratch, offset);
    }
    let value = raw ?? 0;
    if (value < minimum) {
      value = minimum;
    }
    if (value > maximum) {
      value = maximum;
    }
    const floored = Math.floor(value);
    const whole = floored - roundedMinimum;
    if (!(whole >= 0 && whole < limit && Number.isSafeInteger(whole))) {
      return fallback(doc, scratch, offset);
    }
    scratch.ensure(offset, width);
    const buffer = scratch.buffer;
    writeDigits(buffer, offset, nonDecimals, whole);
    if (decimals > 0) {
      writeDigits(buffer, offset + nonDecimals, decimals, Math.min(Math.round((value - floored) * multiplier), multiplier - 1));
    }
    return offset + width;
  };
}

export function createIndexKeyEncoder<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  fields: readonly string[],
): IndexKeyEncoder<RxDocType> {
  const meta = getIndexMeta(schema, [...fields]);
  const kinds: PartKind[] = meta.map((m) => (m.schemaPart.type === 'string' ? 'string' : 'fixed'));
  const writers = meta.map((m, i) => fieldWriter<RxDocType>(m, kinds[i] ?? 'fixed'));
  const scratch = new Scratch();
  const writeKey = (doc: RxDocumentData<RxDocType>): number => {
    let offset = 0;
    for (const write of writers) {
      offset = write(doc, scratch, offset);
    }
    return offset;
  };
  /*
   * RxDB renders bounds field by field, padding strings to maxLength (an open end of an id is
   * 300 '\uffff' characters) and looking the field up in the schema each time: tens of
   * microseconds per query. Parts are encoded independently, so a bound is the concatenation
   * of its fields' encodings: a string value encodes as itself (the padding spaces it would
   * get are dropped by the encoding), the sentinels (open ends, null) are rendered by RxDB
   * once per field and kept, and other values (numbers, booleans) are rendered by RxDB.
   */
  const boundEncoder = (render: typeof getStartIndexStringFromLowerBound) => {
    const sentinels = new Map<string, Buffer>();
    return (bounds: readonly unknown[]): Buffer => {
      const pieces = fields.map((field, i) => {
        const bound = bounds[i] as BoundValue;
        const kind = kinds[i] ?? 'fixed';
        if (kind === 'string' && typeof bound === 'string' && bound !== INDEX_MAX) {
          return encodeIndexParts([bound], [kind]);
        }
        const isSentinel = bound === null || bound === undefined || bound === INDEX_MIN || bound === INDEX_MAX;
        const key = `${i}:${String(bound)}`;
        const known = isSentinel ? sentinels.get(key) : undefined;
        if (known) return known;
        const piece = encodeIndexParts([render(schema, [field], [bound])], [kind]);
        if (isSentinel) sentinels.set(key, piece);
        return piece;
      });
      return Buffer.concat(pieces);
    };
  };
  const encodeLower = boundEncoder(getStartIndexStringFromLowerBound);
  const encodeUpper = boundEncoder(getStartIndexStringFromUpperBound);
  return {
    fields,
    key(doc) {
      return Buffer.from(scratch.buffer.subarray(0, writeKey(doc)));
    },
    keyView(doc) {
      return scratch.view(writeKey(doc));
    },
    lowerBound: encodeLower,
    upperBound: encodeUpper,
  };
}

/*
 * The table's primary key: the document id encoded like an index string part, so walking the
 * primary key walks RxDB's [_deleted, id] order and that index needs no B-tree of its own.
 * Index encoding drops trailing spaces ("a" and "a " are equal in an index), but as ids they are
 * two documents, so two bytes counting the dropped spaces follow: the key stays unique and
 * still sorts right after the bare encoding. Range bounds therefore use the bare encoding for
 * "from" and the bare encoding + PRIMARY_KEY_CEILING for "up to and including".
 */
export const PRIMARY_KEY_CEILING = Buffer.from([0xff, 0xff]);

function writePrimaryKey(buffer: Buffer, id: string): number {
  let trailing = 0;
  while (trailing < id.length && id.charCodeAt(id.length - 1 - trailing) === SPACE) {
    trailing++;
  }
  let offset = writeStringPart(buffer, 0, id);
  const count = Math.min(trailing, 0xfffe);
  buffer[offset++] = count >>> 8;
  buffer[offset++] = count & 0xff;
  return offset;
}

const primaryKeyLength = (id: string): number => 3 * (id.length + 1) + 2;

export function primaryKeyBytes(id: string): Buffer {
  const buffer = Buffer.allocUnsafe(primaryKeyLength(id));
  return buffer.subarray(0, writePrimaryKey(buffer, id));
}

// primaryKeyBytes() into one reused buffer, for binding at once (inserts allocate no key buffers).
export function createPrimaryKeyWriter(): (id: string) => Buffer {
  const scratch = new Scratch();
  return (id) => {
    scratch.ensure(0, primaryKeyLength(id));
    return scratch.view(writePrimaryKey(scratch.buffer, id));
  };
}

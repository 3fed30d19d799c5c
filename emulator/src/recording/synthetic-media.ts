/**
 * Stand-in media bytes. Nothing decodes the emulator's recordings, but tools that sniff files (and tests) should see
 * the right container signatures, so segments are real ISO-BMFF box trees and thumbnails are a decodable 8x8 JPEG.
 * Everything stays a few hundred bytes because the emulator may run many recordings at once.
 */

function box(type: string, ...payloads: Uint8Array[]): Uint8Array {
  const size = 8 + payloads.reduce((sum, p) => sum + p.length, 0);
  const out = Buffer.alloc(size);
  out.writeUInt32BE(size, 0);
  out.write(type, 4, 'latin1');
  let offset = 8;
  for (const p of payloads) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function u32(...values: number[]): Uint8Array {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeUInt32BE(v >>> 0, i * 4));
  return out;
}

function ascii(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

const TIMESCALE = 90_000;
const IDENTITY_MATRIX = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];

function mvhd(): Uint8Array {
  // version/flags, creation, modification, timescale, duration (0: fragmented), rate 1.0, volume 1.0 + reserved.
  const head = u32(0, 0, 0, TIMESCALE, 0, 0x00010000, 0x01000000, 0, 0);
  return box('mvhd', head, u32(...IDENTITY_MATRIX), u32(0, 0, 0, 0, 0, 0), u32(2));
}

function trex(): Uint8Array {
  return box('trex', u32(0, 1, 1, 0, 0, 0));
}

const INIT_SEGMENT = Buffer.concat([
  box('ftyp', ascii('iso6'), u32(0), ascii('iso6mp41')),
  box('moov', mvhd(), box('mvex', trex())),
]);

/** `init-<k>.mp4`: ftyp + moov (with mvex, which marks the file as fragmented). */
export function fmp4InitSegment(): Uint8Array {
  return INIT_SEGMENT;
}

const MDAT_PAYLOAD_BYTES = 192;

/** `<n>.mp4`: styp + moof + mdat carrying a small deterministic payload. */
export function fmp4MediaSegment(sequence: number): Uint8Array {
  const payload = Buffer.alloc(MDAT_PAYLOAD_BYTES);
  for (let i = 0; i < payload.length; i++) payload[i] = (sequence + i) & 0xff;
  return Buffer.concat([
    box('styp', ascii('msdh'), u32(0), ascii('msdhmsix')),
    box('moof', box('mfhd', u32(0, sequence + 1))),
    box('mdat', payload),
  ]);
}

function segment(marker: number, body: number[]): number[] {
  const length = body.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...body];
}

function huffmanTableWithOneCode(tableClassAndId: number): number[] {
  // One code of length 1 for symbol 0: DC "difference 0" or AC "end of block" — all a flat block needs.
  const counts = new Array<number>(16).fill(0);
  counts[0] = 1;
  return segment(0xc4, [tableClassAndId, ...counts, 0x00]);
}

// prettier-ignore
const JPEG = Buffer.from([
  0xff, 0xd8, // SOI
  ...segment(0xe0, [...ascii('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]),
  ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]),
  ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), // baseline, 8x8, one grey component
  ...huffmanTableWithOneCode(0x00),
  ...huffmanTableWithOneCode(0x10),
  ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
  0x3f, // one block: DC code '0', EOB code '0', padded with 1 bits → mid-grey
  0xff, 0xd9, // EOI
]);

/** A decodable 8x8 mid-grey baseline JPEG. */
export function tinyJpeg(): Uint8Array {
  return JPEG;
}

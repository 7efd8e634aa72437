import { StringDecoder } from 'node:string_decoder';

export type DecodeResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Turns byte chunks into text without splitting characters across chunks. The encoding
 * comes from the byte order mark: UTF-8 (the default, with or without a BOM) or UTF-16LE
 * (as some Windows tools write). UTF-16BE and UTF-32 are refused by name.
 */
export class BomAwareDecoder {
  private decoder: StringDecoder | undefined;
  private pending: Buffer = Buffer.alloc(0);

  write(chunk: Buffer | string): DecodeResult {
    if (typeof chunk === 'string') return { ok: true, text: chunk };
    if (this.decoder) return { ok: true, text: this.decoder.write(chunk) };
    this.pending = Buffer.concat([this.pending, chunk]);
    if (this.pending.length < 4) return { ok: true, text: '' };
    return this.start();
  }

  end(): DecodeResult {
    const started: DecodeResult =
      this.decoder || this.pending.length === 0 ? { ok: true, text: '' } : this.start();
    if (!started.ok) return started;
    return { ok: true, text: started.text + (this.decoder?.end() ?? '') };
  }

  private start(): DecodeResult {
    const bytes = this.pending;
    this.pending = Buffer.alloc(0);
    if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00]) || startsWith(bytes, [0x00, 0x00, 0xfe, 0xff])) {
      return { ok: false, reason: 'it is encoded as UTF-32, which is not supported (use UTF-8)' };
    }
    if (startsWith(bytes, [0xfe, 0xff])) {
      return { ok: false, reason: 'it is encoded as UTF-16 big-endian, which is not supported (use UTF-8)' };
    }
    if (startsWith(bytes, [0xff, 0xfe])) {
      this.decoder = new StringDecoder('utf16le');
      return { ok: true, text: this.decoder.write(bytes.subarray(2)) };
    }
    this.decoder = new StringDecoder('utf8');
    const withoutBom = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
    return { ok: true, text: this.decoder.write(withoutBom) };
  }
}

function startsWith(bytes: Buffer, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

// How the placer cuts the lines it places into objects, one hour per object. Pure and deterministic:
// where an object ends depends only on the sequence of (hour, line size) in the source object, never
// on timing, so a retried run cuts exactly the same objects and overwrites exactly the same keys
// (nothing placed twice). Memory stays bounded: at most `bufferBytes` of lines are held at once.

/** An object ends once it holds this many bytes of lines (uncompressed). */
const PLACED_OBJECT_BYTES = 32 * 1024 * 1024;
/** Lines held across all hours before the fullest hour is written out early. */
const PLACER_BUFFER_BYTES = 64 * 1024 * 1024;

export interface PartLimits {
  objectBytes: number;
  bufferBytes: number;
}

/** One object to write: an hour's lines in source order, and its part number within the hour. */
export interface Part {
  hourMs: number;
  part: number;
  lines: Uint8Array[];
  bytes: number;
}

interface Open {
  lines: Uint8Array[];
  bytes: number;
}

export class PartCutter {
  private readonly open = new Map<number, Open>();
  private readonly nextPart = new Map<number, number>();
  private held = 0;

  constructor(
    private readonly limits: PartLimits = {
      objectBytes: PLACED_OBJECT_BYTES,
      bufferBytes: PLACER_BUFFER_BYTES,
    },
  ) {
    if (!(limits.objectBytes >= 1 && limits.bufferBytes >= limits.objectBytes))
      throw new Error(`PartCutter: need 1 ≤ objectBytes ≤ bufferBytes, got ${JSON.stringify(limits)}`);
  }

  /**
   * Adds one line (copied: the caller's bytes may be a view of a reused chunk) and returns the
   * objects that must be written before the next line: the line's hour once full, or else, when the
   * buffer is over its limit, the hour holding the most bytes (the earliest hour on a tie).
   */
  add(hourMs: number, line: Uint8Array): Part[] {
    let o = this.open.get(hourMs);
    if (!o) this.open.set(hourMs, (o = { lines: [], bytes: 0 }));
    o.lines.push(Uint8Array.from(line));
    o.bytes += line.byteLength;
    this.held += line.byteLength;
    if (o.bytes >= this.limits.objectBytes) return [this.close(hourMs)];
    if (this.held > this.limits.bufferBytes) return [this.close(this.fullest())];
    return [];
  }

  /** Every hour still open, earliest first: the end of the source object. */
  finish(): Part[] {
    return [...this.open.keys()].sort((a, b) => a - b).map((h) => this.close(h));
  }

  private fullest(): number {
    let best = NaN;
    let bytes = -1;
    for (const [hourMs, o] of this.open) {
      if (o.bytes > bytes || (o.bytes === bytes && hourMs < best)) [best, bytes] = [hourMs, o.bytes];
    }
    return best;
  }

  private close(hourMs: number): Part {
    const o = this.open.get(hourMs)!;
    this.open.delete(hourMs);
    this.held -= o.bytes;
    const part = this.nextPart.get(hourMs) ?? 0;
    this.nextPart.set(hourMs, part + 1);
    return { hourMs, part, lines: o.lines, bytes: o.bytes };
  }
}

// Captures what Powertools writes: JSON log lines and EMF metric documents, one per line, on
// stdout (INFO) and stderr (WARN/ERROR). The streams are restored even when fn throws.

/** A JSON line as written; EMF documents carry an `_aws` key, log lines do not. */
export type JsonLine = Record<string, unknown> & {
  _aws?: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
};

export async function capturingJson<T>(fn: () => Promise<T> | T): Promise<{ value: T; lines: JsonLine[] }> {
  const raw: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write.bind(stream));
  for (const stream of streams) {
    // One signature of write's overloads is enough: Powertools passes a string.
    stream.write = (chunk: string | Uint8Array) => {
      raw.push(...chunk.toString().split('\n').filter(Boolean));
      return true;
    };
  }
  try {
    const value = await fn();
    return { value, lines: raw.map((l) => JSON.parse(l) as JsonLine) };
  } finally {
    streams.forEach((stream, i) => (stream.write = writes[i]));
  }
}

/** The EMF metric documents among the captured lines. */
export const emfDocuments = (lines: JsonLine[]) => lines.filter((l) => l._aws !== undefined);

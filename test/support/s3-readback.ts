// Reads a bucket back after Firehose (moto) wrote it, grouped by the static prefix a stream was
// configured with. Firehose, and moto like it, appends the arrival time's "YYYY/MM/DD/HH/" and an
// object name after that prefix; anything else in the bucket is a test failure.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

const FIREHOSE_KEY = /^(.*\/)\d{4}\/\d{2}\/\d{2}\/\d{2}\/[^/]+$/;

export interface PrefixContents {
  objects: number;
  bytes: number;
  /** Newline-terminated records, sorted so comparisons ignore arrival order. */
  lines: string[];
}

export async function readBack(s3: S3Client, bucket: string): Promise<Record<string, PrefixContents>> {
  const byPrefix: Record<string, PrefixContents> = {};
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const { Key } of page.Contents ?? []) {
      const match = FIREHOSE_KEY.exec(Key!);
      if (!match) throw new Error(`object ${Key} is not under a Firehose arrival-time path`);
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      const body = Buffer.from(await object.Body!.transformToByteArray());
      const entry = (byPrefix[match[1]] ??= { objects: 0, bytes: 0, lines: [] });
      entry.objects++;
      entry.bytes += body.byteLength;
      entry.lines.push(...splitLines(body.toString('utf8')));
    }
    token = page.NextContinuationToken;
  } while (token);
  for (const entry of Object.values(byPrefix)) entry.lines.sort();
  return byPrefix;
}

/** Splits JSON Lines, keeping each newline; a final fragment without one is kept and visible. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The contents a test expects, built from (prefix, line) pairs. */
export function expectedContents(
  pairs: [prefix: string, line: string][],
  objects: Record<string, number>,
): Record<string, PrefixContents> {
  const byPrefix: Record<string, PrefixContents> = {};
  for (const [prefix, line] of pairs) {
    const entry = (byPrefix[prefix] ??= { objects: objects[prefix] ?? 1, bytes: 0, lines: [] });
    entry.bytes += Buffer.byteLength(line);
    entry.lines.push(line);
  }
  for (const entry of Object.values(byPrefix)) entry.lines.sort();
  return byPrefix;
}

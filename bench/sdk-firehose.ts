// A real FirehoseClient whose HTTP handler answers in-process. The fake in router-under-test skips
// the SDK, but a Lambda pays for it on every entry: JSON and base64 of each record, SigV4 over the
// body, and parsing one RecordId per entry in the answer. Timing the router through this client
// counts that work (what packing saves most of) and nothing of the network.
import { FirehoseClient } from '@aws-sdk/client-firehose';

const ENTRIES_HEADER = 'x-bench-entries';
const answers = new Map<number, Uint8Array>();

/** Firehose's answer to a PutRecordBatch of `n` entries, all accepted (56-character ids, as AWS's). */
function answer(n: number): Uint8Array {
  let body = answers.get(n);
  if (!body) {
    const ids = Array.from({ length: n }, (_, i) => `{"RecordId":"${String(i).padStart(56, 'r')}"}`);
    body = Buffer.from(`{"Encrypted":false,"FailedPutCount":0,"RequestResponses":[${ids.join(',')}]}`);
    answers.set(n, body);
  }
  return body;
}

interface BenchRequest {
  headers: Record<string, string>;
}

export function inProcessFirehose(): FirehoseClient {
  const client = new FirehoseClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDBENCHONLY', secretAccessKey: 'bench-only' },
    maxAttempts: 1,
    requestHandler: {
      handle: (request: BenchRequest) =>
        Promise.resolve({
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: answer(Number(request.headers[ENTRIES_HEADER])),
          },
        }),
    },
  });
  // The entry count rides on the request (several calls are in flight at once).
  client.middlewareStack.add(
    (next, context) => (args) => {
      const { input, request } = args as { input: { Records?: unknown[] }; request: BenchRequest };
      if (context.commandName !== 'PutRecordBatchCommand')
        throw new Error('bench client: PutRecordBatch only');
      request.headers[ENTRIES_HEADER] = String(input.Records?.length ?? 0);
      return next(args);
    },
    { step: 'build', name: 'benchEntries' },
  );
  return client;
}

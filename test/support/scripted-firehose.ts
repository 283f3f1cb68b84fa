// A Firehose client that answers only the scripted calls, in order, and throws on anything else,
// so an extra or missing call fails the test. For the states moto cannot produce (CREATING,
// CREATING_FAILED, DELETING) and for errors it never raises.
import { expect } from 'chai';
import { FirehoseClient } from '@aws-sdk/client-firehose';

export type Step = [command: string, input: Record<string, unknown>, reply: object | Error];

export function scriptedClient(steps: Step[]) {
  const calls: string[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name.replace(/Command$/, '');
      const stream = command.input.DeliveryStreamName;
      calls.push(stream ? `${name} ${stream}` : name);
      const step = steps.shift();
      if (!step || step[0] !== name) throw new Error(`unexpected ${name} ${JSON.stringify(command.input)}`);
      for (const [key, value] of Object.entries(step[1]))
        expect(command.input[key], `${name}.${key}`).to.deep.equal(value);
      if (step[2] instanceof Error) throw step[2];
      return step[2];
    },
  };
  return { client: client as unknown as FirehoseClient, calls, left: steps };
}

/** A ListDeliveryStreams step answering these names on one page. */
export const listing = (names: string[]): Step => [
  'ListDeliveryStreams',
  {},
  { DeliveryStreamNames: names, HasMoreDeliveryStreams: false },
];

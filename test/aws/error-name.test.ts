import { expect } from 'chai';
import { ResourceInUseException } from '@aws-sdk/client-firehose';
import { describeError, errorName } from '../../rotation/aws/error-name';

describe('errorName', () => {
  const cases: [string, unknown, string][] = [
    [
      'an SDK service exception',
      new ResourceInUseException({ message: 'busy', $metadata: {} }),
      'ResourceInUseException',
    ],
    ['a plain Error', new Error('boom'), 'Error'],
    ['a TypeError', new TypeError('x'), 'TypeError'],
    ['an object with a name', { name: 'ThrottlingException' }, 'ThrottlingException'],
    ['an object without one', { message: 'm' }, 'Error'],
    ['undefined', undefined, 'Error'],
  ];
  for (const [what, err, name] of cases)
    it(`names ${what} ${name}`, () => {
      expect(errorName(err)).to.equal(name);
    });
});

describe('describeError', () => {
  // The line delivery, the signal gate and the CLI print; each wrote its own copy before.
  const cases: [string, unknown, string][] = [
    [
      'an SDK service exception',
      new ResourceInUseException({ message: 'busy', $metadata: {} }),
      'ResourceInUseException: busy',
    ],
    ['a plain Error', new Error('boom'), 'Error: boom'],
    ['a thrown string', 'boom', 'Error: boom'],
    ['an object without a message', { name: 'ThrottlingException' }, 'ThrottlingException: [object Object]'],
  ];
  for (const [what, err, line] of cases)
    it(`describes ${what} as ${JSON.stringify(line)}`, () => {
      expect(describeError(err)).to.equal(line);
    });
});

import { expect } from 'chai';
import { ResourceInUseException } from '@aws-sdk/client-firehose';
import { errorName } from '../../rotation/aws/error-name';

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

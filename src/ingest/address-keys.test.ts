import { describe, expect, it } from 'vitest';
import { addressKeys } from './address-keys.js';

describe('addressKeys', () => {
  it('gives the address, its local part and words, its domains, and the name words', () => {
    expect(addressKeys([{ address: 'Vince.Kaminski@ECT.enron.com', name: 'Vince J  Kaminski' }])).toEqual([
      'vince.kaminski@ect.enron.com',
      'vince.kaminski',
      'vince',
      'kaminski',
      'ect.enron.com',
      'enron.com',
      'vince j kaminski',
      'j',
    ]);
    expect(addressKeys([{ address: 'ann@example.org' }, { name: 'Bob' }])).toEqual([
      'ann@example.org',
      'ann',
      'example.org',
      'bob',
    ]);
    expect(addressKeys([])).toEqual([]);
  });
});

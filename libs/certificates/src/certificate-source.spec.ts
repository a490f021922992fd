import {
  CertificateSourceError,
  FirstKnownCertificateSource,
  type CertificateDraft,
  type CertificateSource,
} from './certificate-source.js';

const draft = (id: string, service: CertificateDraft['service']) =>
  ({ resultRevisionId: id, service }) as CertificateDraft;

/** A source that knows some revisions, refuses others as not approved, and fails on 'boom'. */
function source(known: Record<string, CertificateDraft>, notApproved: string[] = []): CertificateSource {
  return {
    load: async (id) => {
      if (id === 'boom') throw new Error('database down');
      if (notApproved.includes(id)) throw new CertificateSourceError(id, 'not_approved', 'not approved');
      if (known[id]) return known[id];
      throw new CertificateSourceError(id, 'not_found', 'unknown');
    },
  };
}

describe('FirstKnownCertificateSource', () => {
  const calibration = source({ a: draft('a', 'calibration') }, ['c']);
  const testing = source({ b: draft('b', 'testing'), c: draft('c', 'testing') });
  const both = new FirstKnownCertificateSource([calibration, testing]);

  it('asks each source in turn: the first that knows the revision answers', async () => {
    await expect(both.load('a')).resolves.toMatchObject({ service: 'calibration' });
    await expect(both.load('b')).resolves.toMatchObject({ service: 'testing' });
  });

  it('a refusal other than not_found stands (not retried elsewhere); an unknown id is not_found', async () => {
    await expect(both.load('c')).rejects.toMatchObject({ reason: 'not_approved' });
    await expect(both.load('z')).rejects.toMatchObject({
      reason: 'not_found',
      message: expect.stringMatching(/not found/),
    });
  });

  it('a transient failure is thrown as it is (the queue retries it)', async () => {
    await expect(both.load('boom')).rejects.toThrow('database down');
  });
});

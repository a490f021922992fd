import { isWebPath, reservedSegments } from './web.js';

describe('the web app beside the API', () => {
  const doc = { paths: { '/requests': {}, '/requests/{id}': {}, '/health/live': {}, '/verify/{number}': {} } };
  const reserved = reservedSegments(doc);

  it("reserves every API route's first segment, and the routes the document does not list", () => {
    for (const s of ['requests', 'health', 'verify', 'docs', 'docs-json', 'admin']) expect(reserved.has(s)).toBe(true);
  });

  it('answers for the app paths only', () => {
    expect(isWebPath('/', reserved)).toBe(true);
    expect(isWebPath('/desk/0b9f', reserved)).toBe(true);
    expect(isWebPath('/requests/0b9f', reserved)).toBe(false);
    expect(isWebPath('/health/live', reserved)).toBe(false);
    expect(isWebPath('/docs', reserved)).toBe(false);
    expect(isWebPath('/admin/queues', reserved)).toBe(false);
  });
});

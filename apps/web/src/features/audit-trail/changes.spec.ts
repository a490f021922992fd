/// <reference types="jest" />
import { fieldChanges } from './changes';

describe('fieldChanges', () => {
  it('lists only the fields whose value changed, old and new', () => {
    const before = { name: 'ERP', revokedAt: null, createdAt: '2026-12-01', updatedAt: 'a' };
    const after = { name: 'ERP', revokedAt: '2026-12-02', createdAt: '2026-12-01', updatedAt: 'b' };
    expect(fieldChanges(before, after)).toEqual([{ field: 'revokedAt', before: 'null', after: '2026-12-02' }]);
  });

  it('lists every field of a created record, compares nested values by content, marks a field that went away', () => {
    expect(fieldChanges(null, { name: 'ERP', contacts: [{ name: 'An' }] })).toEqual([
      { field: 'name', before: '∅', after: 'ERP' },
      { field: 'contacts', before: '∅', after: '[{"name":"An"}]' },
    ]);
    expect(fieldChanges({ rule: { p: 0.5 } }, { rule: { p: 0.5 } })).toEqual([]);
    expect(fieldChanges({ note: 'x' }, {})).toEqual([{ field: 'note', before: 'x', after: '∅' }]);
  });

  it('cuts a long value to 60 characters', () => {
    const [change] = fieldChanges({}, { note: 'x'.repeat(100) });
    expect(change!.after).toHaveLength(60);
    expect(change!.after.endsWith('…')).toBe(true);
  });
});

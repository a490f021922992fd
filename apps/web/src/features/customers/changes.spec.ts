/// <reference types="jest" />
import { changes, formOf, type Organization } from './changes';

const org: Organization = {
  id: 'o1',
  name: 'Công ty A',
  taxCode: '0301234567',
  streetAddress: '12 Trần Phú',
  province: 'Khánh Hòa',
  district: null,
  ward: 'Lộc Thọ',
  provinceId: 'p1',
  communeId: 'c1',
  contacts: [{ name: 'An', email: 'an@example.vn' }],
  sector: null,
  active: true,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('changes (what the customer form sends with PATCH)', () => {
  it('sends nothing when nothing changed, whitespace included', () => {
    const form = formOf(org);
    expect(changes(form, { ...form, name: ' Công ty A ' })).toEqual({});
  });

  it('sends only the changed fields, trimmed; a new province clears the commune', () => {
    const form = formOf(org);
    expect(changes(form, { ...form, name: 'Công ty B ', provinceId: 'p2', communeId: null })).toEqual({
      name: 'Công ty B',
      provinceId: 'p2',
      communeId: null,
    });
  });

  it('sends the whole contact list when one changed, leaving empty fields out', () => {
    const form = formOf(org);
    const contacts = [...form.contacts, { name: ' Bình ', role: '', phone: '', email: 'binh@example.vn' }];
    expect(changes(form, { ...form, contacts })).toEqual({
      contacts: [
        { name: 'An', email: 'an@example.vn' },
        { name: 'Bình', email: 'binh@example.vn' },
      ],
    });
  });
});

describe('the customer sector (statistics for the Sở KH&CN)', () => {
  it('sends the sector chosen, and null when it is cleared', () => {
    const form = formOf(org);
    expect(changes(form, { ...form, sector: 'fuel_retail' })).toEqual({ sector: 'fuel_retail' });
    const stated = formOf({ ...org, sector: 'health' });
    expect(changes(stated, { ...stated, sector: null })).toEqual({ sector: null });
    expect(changes(stated, stated)).toEqual({});
  });
});

/// <reference types="jest" />
import { createBody, formOf, updateBody } from './body';

describe('the instrument form as the API takes it', () => {
  it('creates with the owner, the given fields only, decimals as typed with a point', () => {
    const form = {
      ...formOf(undefined, 'org-1'),
      instrumentTypeId: 't1',
      serialNumber: ' S-1 ',
      manufacturer: 'Tatsuno',
    };
    form.resolution = '0.01';
    form.place = { ...form.place, siteName: 'Cửa hàng số 5' };
    expect(createBody(form)).toEqual({
      instrumentTypeId: 't1',
      ownerId: 'org-1',
      serialNumber: 'S-1',
      manufacturer: 'Tatsuno',
      status: 'in_service',
      resolution: '0.01',
      placeOfUse: { siteName: 'Cửa hàng số 5' },
    });
  });

  it('updates only what changed; a cleared optional field becomes null; the place goes whole', () => {
    const before = { ...formOf(undefined, 'org-1'), serialNumber: 'S-1', model: 'SUNNY-2', rangeMax: '60' };
    before.place = { ...before.place, siteName: 'Cửa hàng số 5' };
    expect(updateBody(before, { ...before })).toEqual({});
    expect(updateBody(before, { ...before, model: ' ', labelCode: 'TĐC-1' })).toEqual({
      model: null,
      labelCode: 'TĐC-1',
    });
    const moved = updateBody(before, { ...before, place: { ...before.place, provinceId: 'p1' } });
    expect(moved.placeOfUse).toEqual({
      provinceId: 'p1',
      communeId: null,
      siteName: 'Cửa hàng số 5',
      streetAddress: null,
      ward: null,
      district: null,
      province: null,
    });
  });
});

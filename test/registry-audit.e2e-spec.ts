// Every change to a registry or personnel record is in the audit trail (ISO/IEC 17025 7.5, 8.4):
// each mutating route driven over HTTP as staff (or as a business where a business may act), and the
// entry read back through GET /audit as an admin — who, what, before and after, and no secret in it.
// A refused change (4xx) leaves no entry: the entry is written in the change's own transaction.
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createAdminAccount } from '#libs/auth';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as, expectStatus, ok, type Body } from './support/http.js';
import {
  calibrationBody,
  createCustomer,
  instrumentBody,
  instrumentTypeBody,
  organizationBody,
  requestInstrumentBody,
  staffSession,
  standardBody,
  today,
  type StaffSession,
} from './support/factories.js';

interface Entry {
  actor: { kind: string; id: string | null; name: string | null };
  entity: string;
  entityId: string;
  action: string;
  before: Body;
  after: Body;
  reason: string | null;
}

describe('registry and personnel changes in the audit trail', () => {
  let sys: TestSystem;
  let admin: StaffSession;
  let reception: StaffSession;
  beforeAll(async () => {
    sys = await startTestSystem();
    admin = await staffSession(sys, ['admin']);
    reception = await staffSession(sys, ['reception']);
  });
  afterAll(async () => sys?.close());

  /** The entries of one record, oldest first, as an admin reads them. */
  async function trail(entity: string, id: string): Promise<Entry[]> {
    const page = ok(await as(sys, admin).get(`/audit?entity=${entity}&id=${id}&limit=100`), `audit ${entity}`);
    return page.items as Entry[];
  }

  /** The one entry of this action on this record. */
  async function entry(entity: string, id: string, action: string): Promise<Entry> {
    const found = (await trail(entity, id)).filter((e) => e.action === action);
    expect(found).toHaveLength(1);
    return found[0]!;
  }

  const byStaff = (s: StaffSession) => ({ kind: 'staff', id: s.userId, name: `Test ${s.username}` });

  /** No hash, no secret, no password anywhere in the entries. */
  function expectNoSecrets(entries: Entry[], ...secrets: string[]): void {
    const text = JSON.stringify(entries);
    expect(text).not.toMatch(/passwordHash|password_hash|secretHash|secret_hash|\$argon2/);
    for (const s of secrets) expect(text).not.toContain(s);
  }

  describe('organizations', () => {
    it('records create, update, deactivate, activate and delete with the record before and after', async () => {
      const created = ok(
        await as(sys, reception).post('/organizations', organizationBody({ name: 'Cty A' })),
        'create',
      );
      expect(await entry('organization', created.id, 'create')).toMatchObject({
        actor: byStaff(reception),
        before: null,
        after: { id: created.id, name: 'Cty A', taxCode: created.taxCode, active: true },
      });

      ok(await as(sys, admin).patch(`/organizations/${created.id}`, { name: 'Cty A (đổi tên)' }), 'update');
      expect(await entry('organization', created.id, 'update')).toMatchObject({
        actor: byStaff(admin),
        before: { name: 'Cty A', updatedAt: created.updatedAt },
        after: { name: 'Cty A (đổi tên)' },
      });

      ok(await as(sys, reception).post(`/organizations/${created.id}/deactivate`), 'deactivate');
      ok(await as(sys, reception).post(`/organizations/${created.id}/activate`), 'activate');
      expect(await entry('organization', created.id, 'deactivate')).toMatchObject({
        before: { active: true },
        after: { active: false },
      });
      expect(await entry('organization', created.id, 'activate')).toMatchObject({
        before: { active: false },
        after: { active: true },
      });

      await expectStatus(as(sys, admin).delete(`/organizations/${created.id}`), 204);
      expect(await entry('organization', created.id, 'delete')).toMatchObject({
        actor: byStaff(admin),
        before: { id: created.id, name: 'Cty A (đổi tên)' },
        after: null,
      });
      expect((await trail('organization', created.id)).map((e) => e.action)).toEqual([
        'create',
        'update',
        'deactivate',
        'activate',
        'delete',
      ]);
    });

    it('writes nothing for a refused change (409: tax code taken; 409: delete of a customer in use)', async () => {
      const a = ok(await as(sys, admin).post('/organizations', organizationBody()), 'a');
      const b = ok(await as(sys, admin).post('/organizations', organizationBody()), 'b');
      await expectStatus(as(sys, admin).patch(`/organizations/${b.id}`, { taxCode: a.taxCode }), 409);
      const type = ok(await as(sys, admin).post('/instrument-types', instrumentTypeBody()), 'type');
      ok(await as(sys, admin).post('/instruments', instrumentBody(b.id, type.id)), 'instrument');
      await expectStatus(as(sys, admin).delete(`/organizations/${b.id}`), 409);
      expect((await trail('organization', b.id)).map((e) => e.action)).toEqual(['create']);
    });
  });

  describe('instrument types and their cycles', () => {
    it('records the type created, corrected (rule included) and a cycle added', async () => {
      const type = ok(await as(sys, admin).post('/instrument-types', instrumentTypeBody({ nameEn: 'Meter' })), 't');
      expect(await entry('instrument_type', type.id, 'create')).toMatchObject({
        actor: byStaff(admin),
        after: { id: type.id, code: type.code, nameEn: 'Meter', mpeRule: { kind: 'percent_of_reading', p: 0.5 } },
      });
      ok(
        await as(sys, admin).patch(`/instrument-types/${type.id}`, {
          nameEn: 'Water meter',
          mpeRule: { kind: 'percent_of_reading', p: 2 },
        }),
        'update',
      );
      expect(await entry('instrument_type', type.id, 'update')).toMatchObject({
        before: { nameEn: 'Meter', mpeRule: { p: 0.5 } },
        after: { nameEn: 'Water meter', mpeRule: { p: 2 } },
      });
      const cycle = ok(
        await as(sys, admin).post(`/instrument-types/${type.id}/cycles`, {
          cycleMonths: 24,
          effectiveFrom: '2024-10-15',
          legalBasis: 'TT 03/2024/TT-BKHCN',
        }),
        'cycle',
      );
      expect(await entry('instrument_type_cycle', cycle.id, 'create')).toMatchObject({
        actor: byStaff(admin),
        before: null,
        after: { instrumentTypeId: type.id, cycleMonths: 24, effectiveFrom: '2024-10-15', instrumentsRecomputed: 0 },
      });
    });

    it('writes nothing when a correction is refused (409: code taken)', async () => {
      const a = ok(await as(sys, admin).post('/instrument-types', instrumentTypeBody()), 'a');
      const b = ok(await as(sys, admin).post('/instrument-types', instrumentTypeBody()), 'b');
      await expectStatus(as(sys, admin).patch(`/instrument-types/${b.id}`, { code: a.code }), 409);
      expect((await trail('instrument_type', b.id)).map((e) => e.action)).toEqual(['create']);
    });
  });

  describe('instruments', () => {
    let typeId: string;
    beforeAll(async () => {
      typeId = ok(await as(sys, admin).post('/instrument-types', instrumentTypeBody()), 'type').id;
    });

    it('names the business that registered an instrument, and staff who corrected it', async () => {
      const customer = await createCustomer(sys, { name: `Công ty Xăng dầu Sa Huỳnh ${Date.now()}` });
      const created = ok(
        await as(sys, customer).post('/instruments', instrumentBody(customer.id, typeId, { model: 'M-1' })),
        'register',
      );
      expect(await entry('instrument', created.id, 'create')).toMatchObject({
        // By its name and its key's, not an id a person cannot read.
        actor: { kind: 'business', name: expect.stringMatching(/^Công ty Xăng dầu Sa Huỳnh \d+ · test key /) },
        before: null,
        after: { id: created.id, owner: { id: customer.id }, model: 'M-1', status: 'in_service' },
      });
      ok(
        await as(sys, reception).patch(`/instruments/${created.id}`, { model: 'M-2', status: 'out_of_service' }),
        'fix',
      );
      expect(await entry('instrument', created.id, 'update')).toMatchObject({
        actor: byStaff(reception),
        before: { model: 'M-1', status: 'in_service' },
        after: { model: 'M-2', status: 'out_of_service' },
      });
    });

    it('records a past service entered from the books, with the due date before and after', async () => {
      const owner = ok(await as(sys, admin).post('/organizations', organizationBody()), 'owner');
      const created = ok(await as(sys, admin).post('/instruments', instrumentBody(owner.id, typeId)), 'instrument');
      ok(
        await as(sys, reception).post(`/instruments/${created.id}/history`, {
          service: 'verification_periodic',
          date: '2025-01-05',
          passed: true,
          certificateNumber: 'KĐ-2025-0001',
        }),
        'history',
      );
      expect(await entry('instrument', created.id, 'record_service')).toMatchObject({
        actor: byStaff(reception),
        before: { nextDueDate: null, lastService: null },
        after: {
          nextDueDate: '2026-01-05',
          recorded: { service: 'verification_periodic', date: '2025-01-05', passed: true },
        },
      });
    });

    it('writes nothing for a refused correction (422: a resolution unit of another quantity)', async () => {
      const owner = ok(await as(sys, admin).post('/organizations', organizationBody()), 'owner');
      const created = ok(await as(sys, admin).post('/instruments', instrumentBody(owner.id, typeId)), 'instrument');
      await expectStatus(
        as(sys, reception).patch(`/instruments/${created.id}`, { model: 'X', resolution: '1', resolutionUnit: 'kg' }),
        422,
      );
      expect((await trail('instrument', created.id)).map((e) => e.action)).toEqual(['create']);
    });

    it('records the instruments a request registers in one batch entry, by the business, found by each', async () => {
      const customer = await createCustomer(sys);
      const request = ok(
        await as(sys, customer).post('/requests', {
          place: 'lab',
          items: [1, 2, 3].map((n) => ({
            instrument: requestInstrumentBody(typeId, { serialNumber: `BULK-AUDIT-${n}` }),
            service: 'verification_periodic',
          })),
        }),
        'request',
      );
      const ids = (request.items as { instrument: { id: string } }[]).map((i) => i.instrument.id);
      expect(new Set(ids).size).toBe(3);
      const batches = new Set<string>();
      for (const [n, id] of ids.entries()) {
        const found = await entry('instrument', id, 'create');
        batches.add(found.entityId);
        expect(found).toMatchObject({
          actor: { kind: 'business', name: expect.stringMatching(/ · test key /) },
          after: {
            ownerId: customer.id,
            requestId: request.id,
            recordCount: 3,
            record: {
              id,
              instrumentTypeId: typeId,
              manufacturer: 'Tatsuno',
              serialNumber: `BULK-AUDIT-${n + 1}`,
              status: 'in_service',
            },
          },
        });
      }
      expect(batches.size).toBe(1);
      // Asked for by the batch's id, the entry shows whole: every instrument, in the request's order.
      const [whole] = await trail('instrument', [...batches][0]!);
      expect((whole!.after as { recordIds: string[] }).recordIds).toEqual(ids);
    });
  });

  describe('standards, their calibrations and checks', () => {
    it('records each', async () => {
      const technician = await staffSession(sys, ['technician']);
      const s = ok(await as(sys, technician).post('/standards', standardBody({ name: 'Bình chuẩn 20 L' })), 'std');
      expect(await entry('measurement_standard', s.id, 'create')).toMatchObject({
        actor: byStaff(technician),
        after: { id: s.id, code: s.code, name: 'Bình chuẩn 20 L', status: 'in_service' },
      });
      ok(await as(sys, admin).patch(`/standards/${s.id}`, { status: 'out_of_service' }), 'update');
      expect(await entry('measurement_standard', s.id, 'update')).toMatchObject({
        actor: byStaff(admin),
        before: { status: 'in_service' },
        after: { status: 'out_of_service' },
      });
      const c = ok(
        await as(sys, technician).post(
          `/standards/${s.id}/calibrations`,
          calibrationBody({ certificateNumber: 'V07-1' }),
        ),
        'calibration',
      );
      expect(await entry('standard_calibration', c.id, 'create')).toMatchObject({
        actor: byStaff(technician),
        after: { id: c.id, standardId: s.id, certificateNumber: 'V07-1', values: [{ nominal: '20' }] },
      });
      const k = ok(
        await as(sys, technician).post(`/standards/${s.id}/checks`, {
          checkDate: today(),
          performedBy: 'Lê Văn C',
          passed: true,
        }),
        'check',
      );
      expect(await entry('standard_check', k.id, 'create')).toMatchObject({
        actor: byStaff(technician),
        after: { id: k.id, standardId: s.id, passed: true, performedBy: 'Lê Văn C' },
      });
    });

    it('writes nothing for a refused change (400: range reversed)', async () => {
      const s = ok(await as(sys, admin).post('/standards', standardBody()), 'std');
      await expectStatus(as(sys, admin).patch(`/standards/${s.id}`, { rangeMin: '50' }), 400);
      expect((await trail('measurement_standard', s.id)).map((e) => e.action)).toEqual(['create']);
    });
  });

  describe('users and authorisations', () => {
    it('records an account created, changed and its password set, never a password or its hash', async () => {
      const password = `Mật khẩu ${randomBytes(8).toString('hex')}`;
      const user = ok(
        await as(sys, admin).post('/users', {
          username: `nv.${randomBytes(3).toString('hex')}`,
          fullName: 'Phạm Thị Dung',
          roles: ['technician'],
          password,
        }),
        'user',
      );
      expect(await entry('staff_user', user.id, 'create')).toMatchObject({
        actor: byStaff(admin),
        after: { id: user.id, fullName: 'Phạm Thị Dung', roles: ['technician'], active: true },
      });
      ok(await as(sys, admin).patch(`/users/${user.id}`, { roles: ['technician', 'reviewer'] }), 'update');
      expect(await entry('staff_user', user.id, 'update')).toMatchObject({
        before: { roles: ['technician'] },
        after: { roles: ['technician', 'reviewer'] },
      });
      const reset = `Đặt lại ${randomBytes(8).toString('hex')}`;
      await expectStatus(as(sys, admin).post(`/users/${user.id}/password`, { newPassword: reset }), 204);
      expect(await entry('staff_user', user.id, 'reset_password')).toMatchObject({
        actor: byStaff(admin),
        after: { id: user.id, sessionsEnded: true },
      });

      const self = await staffSession(sys, ['technician']);
      await expectStatus(
        as(sys, self).post(`/users/${self.userId}/password`, { currentPassword: 'not it at all', newPassword: reset }),
        422,
      );
      expect((await trail('staff_user', self.userId)).map((e) => e.action)).toEqual(['create']);
      expectNoSecrets(
        [...(await trail('staff_user', user.id)), ...(await trail('staff_user', self.userId))],
        password,
        reset,
      );
    });

    it('records an admin made outside HTTP (npm run user:create-admin) as done by the system', async () => {
      const password = `Quản trị ${randomBytes(8).toString('hex')}`;
      const made = await createAdminAccount(sys.app.get(DataSource), {
        username: `qt.${randomBytes(3).toString('hex')}`,
        fullName: 'Ngô Văn Quản',
        password,
      });
      const entries = await trail('staff_user', made.id);
      expect(entries).toMatchObject([
        {
          actor: { kind: 'system', id: null, name: 'npm run user:create-admin' },
          action: 'create',
          after: { id: made.id, fullName: 'Ngô Văn Quản', roles: ['admin'] },
        },
      ]);
      expectNoSecrets(entries, password, made.passwordHash);
    });

    it('records an authorisation granted and revoked; a repeated revocation and a refused grant write nothing', async () => {
      const type = ok(await as(sys, admin).post('/instrument-types', instrumentTypeBody()), 'type');
      const tech = await staffSession(sys, ['technician']);
      const granted = ok(
        await as(sys, admin).post(`/users/${tech.userId}/authorisations`, {
          instrumentTypeId: type.id,
          service: 'verification_periodic',
          activity: 'perform',
          validFrom: '2025-01-01',
          reference: 'QĐ 12/QĐ-TĐC',
        }),
        'grant',
      );
      expect(await entry('staff_authorisation', granted.id, 'grant')).toMatchObject({
        actor: byStaff(admin),
        before: null,
        after: { userId: tech.userId, instrumentTypeId: type.id, activity: 'perform', revokedAt: null },
      });
      await expectStatus(as(sys, admin).delete(`/users/${tech.userId}/authorisations/${granted.id}`), 204);
      await expectStatus(as(sys, admin).delete(`/users/${tech.userId}/authorisations/${granted.id}`), 204);
      const revoked = await entry('staff_authorisation', granted.id, 'revoke');
      expect(revoked).toMatchObject({
        actor: byStaff(admin),
        before: { revokedAt: null },
        after: { revokedAt: expect.any(String), revokedBy: admin.userId },
      });

      await expectStatus(
        as(sys, admin).post(`/users/${tech.userId}/authorisations`, {
          service: 'verification_periodic',
          activity: 'approve',
          validFrom: '2025-01-01',
        }),
        422,
      );
      const all = ok(await as(sys, admin).get('/audit?entity=staff_authorisation&limit=100'), 'all').items as Entry[];
      expect(all.filter((e) => e.after?.userId === tech.userId).map((e) => e.action)).toEqual(['grant', 'revoke']);
    });
  });

  describe('API keys', () => {
    it('records a key issued and revoked by its public prefix, never the key or its hash', async () => {
      const org = ok(await as(sys, admin).post('/organizations', organizationBody()), 'org');
      const issued = ok(
        await as(sys, reception).post(`/organizations/${org.id}/api-keys`, { name: 'Máy chủ ERP' }),
        'key',
      );
      expect(await entry('api_key', issued.id, 'create')).toMatchObject({
        actor: byStaff(reception),
        after: { id: issued.id, organizationId: org.id, name: 'Máy chủ ERP', prefix: issued.prefix, revokedAt: null },
      });
      await expectStatus(as(sys, admin).delete(`/organizations/${org.id}/api-keys/${issued.id}`), 204);
      expect(await entry('api_key', issued.id, 'revoke')).toMatchObject({
        actor: byStaff(admin),
        before: { revokedAt: null },
        after: { revokedAt: expect.any(String), revokedBy: admin.userId },
      });
      const entries = await trail('api_key', issued.id);
      expectNoSecrets(entries, issued.key, (issued.key as string).slice(issued.prefix.length + 1));
      expect(Object.keys(entries[0]!.after).sort()).toEqual(
        [
          'createdAt',
          'createdBy',
          'id',
          'lastUsedAt',
          'name',
          'organizationId',
          'prefix',
          'revokedAt',
          'revokedBy',
        ].sort(),
      );
    });

    it('writes nothing when a key is refused (409: organization deactivated)', async () => {
      const org = ok(await as(sys, admin).post('/organizations', organizationBody()), 'org');
      ok(await as(sys, admin).post(`/organizations/${org.id}/deactivate`), 'deactivate');
      await expectStatus(as(sys, reception).post(`/organizations/${org.id}/api-keys`, { name: 'x' }), 409);
      const all = ok(await as(sys, admin).get('/audit?entity=api_key&limit=100'), 'all').items as Entry[];
      expect(all.filter((e) => e.after?.organizationId === org.id)).toEqual([]);
    });
  });

  it("lists one actor's entries, oldest first (GET /audit?actor=), for the staff audit screen", async () => {
    const clerk = await staffSession(sys, ['reception']);
    const org = ok(await as(sys, clerk).post('/organizations', organizationBody()), 'org');
    const key = ok(await as(sys, clerk).post(`/organizations/${org.id}/api-keys`, { name: 'ERP' }), 'key');
    const first = ok(await as(sys, admin).get(`/audit?actor=${clerk.userId}&limit=1`), 'page 1');
    expect(first.items).toMatchObject([{ entity: 'organization', entityId: org.id, action: 'create' }]);
    const rest = ok(
      await as(sys, admin).get(`/audit?actor=${clerk.userId}&limit=1&cursor=${encodeURIComponent(first.nextCursor)}`),
      'page 2',
    );
    expect(rest.items).toMatchObject([
      { entity: 'api_key', entityId: key.id, action: 'create', actor: byStaff(clerk) },
    ]);
    expect(rest.nextCursor).toBeNull(); // the clerk did these two things only
  });
});

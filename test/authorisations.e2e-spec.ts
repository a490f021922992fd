import { InstrumentTypeService } from '#libs/registry';
import { randomUUID } from 'node:crypto';
import { AuthorisationService, type AuthorisationCheck } from '#libs/auth';
import { InvalidInputError } from '#libs/core';
import { startTestSystem, type TestSystem } from './support/system.js';
import { as } from './support/http.js';
import { instrumentTypeBody, staffSession, TEST_SETUP, type StaffSession } from './support/factories.js';

describe('personnel authorisations (ISO/IEC 17025 6.2)', () => {
  let sys: TestSystem;
  let admin: StaffSession;
  let auth: AuthorisationService;
  let fuelDispenser: string;
  let waterMeter: string;

  beforeAll(async () => {
    sys = await startTestSystem();
    admin = await staffSession(sys, ['admin']);
    auth = sys.app.get(AuthorisationService);
    const types = sys.app.get(InstrumentTypeService);
    fuelDispenser = (await types.create(instrumentTypeBody({ nameEn: 'Fuel dispenser' }), TEST_SETUP)).id;
    waterMeter = (await types.create(instrumentTypeBody({ nameEn: 'Water meter' }), TEST_SETUP)).id;
  });
  afterAll(async () => sys?.close());

  const grant = (userId: string, body: Record<string, unknown>) =>
    as(sys, admin).post(`/users/${userId}/authorisations`).send(body);
  const check = (overrides: Partial<AuthorisationCheck> = {}): AuthorisationCheck => ({
    instrumentTypeId: fuelDispenser,
    service: 'verification_periodic',
    activity: 'perform',
    on: '2025-06-15',
    ...overrides,
  });

  describe('over HTTP (admin)', () => {
    it('grants, lists and revokes', async () => {
      const tech = await staffSession(sys, ['technician']);
      const res = await grant(tech.userId, {
        instrumentTypeId: fuelDispenser,
        service: 'verification_periodic',
        activity: 'perform',
        validFrom: '2025-01-01',
        validUntil: '2025-12-31',
        reference: 'QĐ 12/QĐ-TĐC',
      }).expect(201);
      expect(res.body).toMatchObject({
        userId: tech.userId,
        instrumentTypeId: fuelDispenser,
        service: 'verification_periodic',
        activity: 'perform',
        validFrom: '2025-01-01',
        validUntil: '2025-12-31',
        reference: 'QĐ 12/QĐ-TĐC',
        grantedBy: admin.userId,
        revokedAt: null,
      });
      const open = await grant(tech.userId, {
        service: 'calibration',
        activity: 'perform',
        validFrom: '2026-01-01',
      }).expect(201);
      expect(open.body).toMatchObject({ instrumentTypeId: null, validUntil: null });
      const third = await grant(tech.userId, {
        service: 'testing',
        activity: 'perform',
        validFrom: '2024-01-01',
        validUntil: '2024-12-31',
      }).expect(201);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await as(sys, admin)
          .get(`/users/${tech.userId}/authorisations`)
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...page.body.items.map((a) => a.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([open.body.id, res.body.id, third.body.id]);

      const inForce = await as(sys, admin)
        .get(`/users/${tech.userId}/authorisations`)
        .query({ on: '2025-03-01' })
        .expect(200);
      expect(inForce.body.items.map((a: { id: string }) => a.id)).toEqual([res.body.id]);

      await as(sys, admin).delete(`/users/${tech.userId}/authorisations/${res.body.id}`).expect(204);
      await as(sys, admin).delete(`/users/${tech.userId}/authorisations/${res.body.id}`).expect(204);
      const after = await as(sys, admin).get(`/users/${tech.userId}/authorisations`).expect(200);
      expect(after.body.items.find((a: { id: string }) => a.id === res.body.id)).toMatchObject({
        revokedAt: expect.any(String),
        revokedBy: admin.userId,
      });
      const none = await as(sys, admin)
        .get(`/users/${tech.userId}/authorisations`)
        .query({ on: '2025-03-01' })
        .expect(200);
      expect(none.body.items).toEqual([]);
    });

    it('validates dates, service and activity (400 with field paths)', async () => {
      const tech = await staffSession(sys, ['technician']);
      const bad = await grant(tech.userId, {
        service: 'repair',
        activity: 'sign',
        validFrom: '2025-02-30',
        validUntil: '31/12/2025',
      }).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
        ['activity', 'service', 'validFrom', 'validUntil'].sort(),
      );
      const reversed = await grant(tech.userId, {
        service: 'calibration',
        activity: 'perform',
        validFrom: '2025-06-01',
        validUntil: '2025-05-31',
      }).expect(400);
      expect(reversed.body.errors).toEqual([{ field: 'validUntil', message: expect.any(String) }]);
      await grant(tech.userId, {
        service: 'calibration',
        activity: 'perform',
        validFrom: '2025-06-01',
        instrumentTypeId: 'not-a-uuid',
      }).expect(400);
      await as(sys, admin).get(`/users/${tech.userId}/authorisations`).query({ on: 'yesterday' }).expect(400);
    });

    it('needs the role the activity calls for (422), an active account (409) and an existing one (404)', async () => {
      const tech = await staffSession(sys, ['technician']);
      const res = await grant(tech.userId, {
        service: 'calibration',
        activity: 'approve',
        validFrom: '2025-01-01',
      }).expect(422);
      expect(res.body).toMatchObject({ code: 'authorisation.role_missing', errors: [{ field: 'activity' }] });
      await as(sys, admin).patch(`/users/${tech.userId}`).send({ active: false }).expect(200);
      await grant(tech.userId, { service: 'calibration', activity: 'perform', validFrom: '2025-01-01' }).expect(409);
      await grant(randomUUID(), { service: 'calibration', activity: 'perform', validFrom: '2025-01-01' }).expect(404);
      await as(sys, admin).get(`/users/${randomUUID()}/authorisations`).expect(404);
    });

    it('refuses an instrument type that does not exist (422 naming instrumentTypeId)', async () => {
      const tech = await staffSession(sys, ['technician']);
      const res = await grant(tech.userId, {
        instrumentTypeId: randomUUID(),
        service: 'calibration',
        activity: 'perform',
        validFrom: '2025-01-01',
      }).expect(422);
      expect(res.body).toMatchObject({
        code: 'authorisation.unknown_instrument_type',
        errors: [{ field: 'instrumentTypeId' }],
      });
    });

    it('is for admins only; a revocation must name an authorisation of that user', async () => {
      const reviewer = await staffSession(sys, ['reviewer']);
      const other = await staffSession(sys, ['reviewer']);
      const a = await grant(reviewer.userId, {
        service: 'calibration',
        activity: 'approve',
        validFrom: '2025-01-01',
      }).expect(201);
      await as(sys, reviewer).get(`/users/${reviewer.userId}/authorisations`).expect(403);
      await as(sys, reviewer).post(`/users/${reviewer.userId}/authorisations`).send({}).expect(403);
      await as(sys, reviewer).delete(`/users/${reviewer.userId}/authorisations/${a.body.id}`).expect(403);
      await as(sys, admin).delete(`/users/${other.userId}/authorisations/${a.body.id}`).expect(404);
    });
  });

  describe('isAuthorised and authorisedUsers (real PostgreSQL)', () => {
    let tech: StaffSession;
    let allTypes: StaffSession;
    let reviewer: StaffSession;
    beforeAll(async () => {
      tech = await staffSession(sys, ['technician']);
      allTypes = await staffSession(sys, ['technician', 'reviewer']);
      reviewer = await staffSession(sys, ['reviewer']);
      await auth.grant(
        tech.userId,
        {
          instrumentTypeId: fuelDispenser,
          service: 'verification_periodic',
          activity: 'perform',
          validFrom: '2025-01-01',
          validUntil: '2025-12-31',
        },
        admin.principal,
      );
      await auth.grant(
        allTypes.userId,
        { service: 'verification_periodic', activity: 'perform', validFrom: '2025-06-01' },
        admin.principal,
      );
      await auth.grant(
        reviewer.userId,
        {
          instrumentTypeId: fuelDispenser,
          service: 'verification_periodic',
          activity: 'approve',
          validFrom: '2025-01-01',
        },
        admin.principal,
      );
    });

    it('holds on the validity dates, both inclusive, and not outside them', async () => {
      expect(await auth.isAuthorised(tech.userId, check({ on: '2025-01-01' }))).toBe(true);
      expect(await auth.isAuthorised(tech.userId, check({ on: '2025-12-31' }))).toBe(true);
      expect(await auth.isAuthorised(tech.userId, check({ on: '2024-12-31' }))).toBe(false);
      expect(await auth.isAuthorised(tech.userId, check({ on: '2026-01-01' }))).toBe(false);
      expect(await auth.isAuthorised(allTypes.userId, check({ on: '2099-01-01' }))).toBe(true);
      expect(await auth.isAuthorised(allTypes.userId, check({ on: '2025-05-31' }))).toBe(false);
    });

    it('matches the instrument type, or every type for a type-less authorisation', async () => {
      expect(await auth.isAuthorised(tech.userId, check({ instrumentTypeId: waterMeter }))).toBe(false);
      expect(await auth.isAuthorised(tech.userId, check({ instrumentTypeId: null }))).toBe(false);
      expect(await auth.isAuthorised(allTypes.userId, check({ instrumentTypeId: waterMeter }))).toBe(true);
      expect(await auth.isAuthorised(allTypes.userId, check({ instrumentTypeId: null }))).toBe(true);
    });

    it('matches service and activity exactly', async () => {
      expect(await auth.isAuthorised(tech.userId, check({ service: 'verification_initial' }))).toBe(false);
      expect(await auth.isAuthorised(tech.userId, check({ activity: 'approve' }))).toBe(false);
      expect(await auth.isAuthorised(reviewer.userId, check({ activity: 'approve' }))).toBe(true);
      expect(await auth.isAuthorised(reviewer.userId, check({ activity: 'perform' }))).toBe(false);
      expect(await auth.isAuthorised(randomUUID(), check())).toBe(false);
    });

    it('lists who may do the work', async () => {
      expect(await auth.authorisedUsers(check())).toEqual([tech.userId, allTypes.userId].sort());
      expect(await auth.authorisedUsers(check({ instrumentTypeId: waterMeter }))).toEqual([allTypes.userId]);
      expect(await auth.authorisedUsers(check({ activity: 'approve' }))).toEqual([reviewer.userId]);
      expect(await auth.authorisedUsers(check({ on: '2020-01-01' }))).toEqual([]);
    });

    it('ends with a revocation, a lost role or a deactivated account', async () => {
      const a = await staffSession(sys, ['technician']);
      const b = await staffSession(sys, ['technician']);
      const c = await staffSession(sys, ['technician']);
      const granted = [];
      for (const s of [a, b, c]) {
        granted.push(
          await auth.grant(
            s.userId,
            { service: 'calibration', activity: 'perform', validFrom: '2025-01-01' },
            admin.principal,
          ),
        );
        expect(await auth.isAuthorised(s.userId, check({ service: 'calibration' }))).toBe(true);
      }
      await auth.revoke(a.userId, granted[0]!.id, admin.principal);
      await as(sys, admin)
        .patch(`/users/${b.userId}`)
        .send({ roles: ['reception'] })
        .expect(200);
      await as(sys, admin).patch(`/users/${c.userId}`).send({ active: false }).expect(200);
      for (const s of [a, b, c])
        expect(await auth.isAuthorised(s.userId, check({ service: 'calibration' }))).toBe(false);
    });

    it('refuses a malformed question rather than answering it', async () => {
      await expect(auth.isAuthorised(tech.userId, check({ on: '15/06/2025' }))).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      await expect(auth.isAuthorised(tech.userId, check({ service: 'repair' as never }))).rejects.toBeInstanceOf(
        InvalidInputError,
      );
    });
  });
});

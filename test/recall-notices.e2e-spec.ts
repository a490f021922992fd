import { JobQueue, QueueName } from '#libs/core';
import { createWorker } from '../apps/worker/src/worker.js';
import { as, type Client } from './support/http.js';
import {
  businessKey,
  createOrganization,
  inDays,
  instrumentBody,
  instrumentTypeBody,
  staffSession,
} from './support/factories.js';
import { startSmtpServer } from './support/smtp-server.js';
import { eventually, startTestSystem, type TestSystem } from './support/system.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

type Smtp = Awaited<ReturnType<typeof startSmtpServer>>;
type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/** A year before `date` (a 12-month cycle then brings the due date back to it). */
const yearBefore = (date: string): string => `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`;
const vnDate = (iso: string): string => iso.split('-').reverse().join('/');

describe('recall notices (job scheduler → scan → e-mail over SMTP + instrument.due webhook)', () => {
  let smtp: Smtp;
  let hooks: Receiver;
  let sys: TestSystem;
  let admin: Client;
  let reception: Client;
  let typeId: string;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    hooks = await startWebhookReceiver();
    sys = await startTestSystem({
      worker: true,
      env: { SMTP_URL: smtp.url, EMAIL_RETRY_DELAY_MS: '1500', EMAIL_ATTEMPTS: '3', RECALL_SCAN_CRON: '0 3 1 1 *' },
    });
    admin = as(sys, await staffSession(sys, ['admin']));
    reception = as(sys, await staffSession(sys, ['reception']));
    typeId = (await admin.post('/instrument-types', instrumentTypeBody()).expect(201)).body.id;
  });
  afterAll(async () => {
    await sys?.close();
    await hooks?.close();
    await smtp?.close();
  });

  /** An organization with a contact e-mail and a webhook endpoint subscribed to instrument.due. */
  const customer = async (email: string): Promise<{ id: string; key: string }> => {
    const org = await createOrganization(sys, { contacts: [{ name: 'Nguyễn Văn An', email }] });
    const key = await businessKey(sys, org.id);
    await as(sys, { key })
      .post(`/organizations/${org.id}/webhooks`, { url: hooks.url, events: ['instrument.due'] })
      .expect(201);
    return { id: org.id, key };
  };
  /** An instrument in service whose periodic verification falls due in `days` days. */
  const dueIn = async (ownerId: string, days: number, place: object = {}): Promise<{ id: string; serial: string }> => {
    const body = instrumentBody(ownerId, typeId, { placeOfUse: { siteName: 'Cửa hàng số 5', ...place } });
    const id = (await reception.post('/instruments', body).expect(201)).body.id;
    const due = inDays(days);
    await reception
      .post(`/instruments/${id}/history`, { service: 'verification_periodic', date: yearBefore(due), passed: true })
      .expect(201);
    expect((await reception.get(`/instruments/${id}`).expect(200)).body.nextDueDate).toBe(due);
    return { id, serial: body.serialNumber };
  };
  /** Runs the scan through the queue and waits for its result. */
  const scan = async (): Promise<{ notices: number; instruments: number }> => {
    const { jobId } = (await admin.post('/notices/recall-scan', {}).expect(202)).body;
    const jobs = sys.app.get(JobQueue);
    return eventually(async () => {
      const job = await jobs.job('notice.recall_scan', jobId);
      if (job && (await job.getState()) === 'failed') throw new Error(`scan failed: ${job.failedReason}`);
      return job?.returnvalue ?? undefined;
    });
  };
  const hooksOf = (orgId: string) =>
    hooks.received.filter((h) => h.json.type === 'instrument.due' && h.json.organizationId === orgId);
  const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));

  it('keeps one daily job scheduler however many workers start', async () => {
    const second = await createWorker(sys.env, sys.runtime.dataSource, sys.runtime.backend);
    await second.init();
    try {
      const schedulers = await sys.app.get(JobQueue).queue(QueueName.Notices).getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({
        key: 'notice.recall_scan.daily',
        pattern: '0 3 1 1 *',
        tz: 'Asia/Ho_Chi_Minh',
      });
    } finally {
      await second.close();
    }
  });

  it('sends one e-mail and one webhook for an instrument 30 days from due; again nothing; an opted-out owner nothing', async () => {
    const a = await customer('an@binhminh.example.vn');
    const b = await customer('binh@optout.example.vn');
    const a30 = await dueIn(a.id, 30, { streetAddress: '215 Lê Hồng Phong' });
    await dueIn(a.id, 100); // outside every period
    await dueIn(b.id, 30);
    const out = await as(sys, { key: b.key })
      .put(`/organizations/${b.id}/notice-preferences`, { recallNotices: false })
      .expect(200);
    expect(out.body).toEqual({ organizationId: b.id, recallNotices: false });
    const audit = (await admin.get(`/audit?entity=notice_preference&id=${b.id}`).expect(200)).body.items;
    expect(audit).toMatchObject([
      { action: 'update', before: { recallNotices: true }, after: { recallNotices: false } },
    ]);

    expect(await scan()).toMatchObject({ notices: 1, instruments: 1 });
    const [mail] = await eventually(async () => (mailsTo('an@binhminh.example.vn').length ? smtp.received : undefined));
    const hook = await eventually(async () => hooksOf(a.id)[0]);
    expect(smtp.received).toHaveLength(1);
    expect(mail!.mail.subject).toContain('trong vòng 30 ngày');
    const text = mail!.mail.text ?? '';
    expect(text).toContain(a30.serial);
    expect(text).toContain(vnDate(inDays(30)));
    expect(text).toContain('Cửa hàng số 5, 215 Lê Hồng Phong');
    expect(text.indexOf('Kính gửi')).toBeLessThan(text.indexOf('Dear'));
    expect(text).toContain('due for verification within 30 days');
    expect(hook.json.data).toMatchObject({
      period: 'due_30',
      instruments: [{ instrumentId: a30.id, serialNumber: a30.serial, nextDueDate: inDays(30), daysUntilDue: 30 }],
      requestBody: { items: [{ instrumentId: a30.id, service: 'verification_periodic' }] },
    });
    const noticeId = hook.json.data.noticeId as string;
    expect(text).toContain(`/notices/${noticeId}`);
    const notice = await eventually(async () => {
      const n = (await as(sys, { key: a.key }).get(`/notices/${noticeId}`).expect(200)).body;
      return n.emails[0].state === 'sent' ? n : undefined;
    });
    expect(notice).toMatchObject({ kind: 'recall', period: 'due_30', webhookDeliveries: 1 });
    expect(notice.emails).toMatchObject([
      { recipients: ['an@binhminh.example.vn'], attempts: 1, lastError: null, nextAttemptAt: null },
    ]);
    await as(sys, { key: b.key }).get(`/notices/${noticeId}`).expect(404);

    expect(await scan()).toMatchObject({ notices: 0, instruments: 0 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.received).toHaveLength(1);
    expect(hooksOf(a.id)).toHaveLength(1);
    expect(hooksOf(b.id)).toHaveLength(0);
    expect(mailsTo('binh@optout.example.vn')).toHaveLength(0);
  });

  it('retries a refused e-mail with backoff and logs the attempt, the next attempt and the error', async () => {
    const c = await customer('chi@retry.example.vn');
    await dueIn(c.id, 7);
    smtp.failNext(1);
    expect(await scan()).toMatchObject({ notices: 1, instruments: 1 });
    const notices = async () =>
      (await as(sys, { key: c.key }).get('/notices').expect(200)).body.items as { emails: Record<string, unknown>[] }[];
    const waiting = await eventually(async () => {
      const [n] = await notices();
      return n?.emails[0]?.attempts === 1 ? n.emails[0] : undefined;
    });
    expect(waiting).toMatchObject({ state: 'pending', lastError: 'smtp_451', nextAttemptAt: expect.any(String) });
    const sent = await eventually(async () => {
      const [n] = await notices();
      return n?.emails[0]?.state === 'sent' ? n.emails[0] : undefined;
    });
    expect(sent).toMatchObject({ attempts: 2, lastError: 'smtp_451', nextAttemptAt: null });
    expect(mailsTo('chi@retry.example.vn')).toHaveLength(1);
    expect(mailsTo('chi@retry.example.vn')[0]!.mail.subject).toContain('trong vòng 7 ngày');
  });

  it('sends the overdue notice once the due date has passed, once', async () => {
    const d = await customer('dung@overdue.example.vn');
    const late = await dueIn(d.id, -3);
    expect(await scan()).toMatchObject({ notices: 1, instruments: 1 });
    const hook = await eventually(async () => hooksOf(d.id)[0]);
    expect(hook.json.data).toMatchObject({
      period: 'overdue',
      instruments: [{ instrumentId: late.id, daysUntilDue: -3 }],
    });
    expect(await scan()).toMatchObject({ notices: 0 });
  });

  it('recalls for a calibration falling due (the last calibration + the interval its owner chose), naming the service, once', async () => {
    const e = await customer('em@calibration.example.vn');
    // Verification and calibration both fall due in 30 days: one notice, one line per service.
    const both = await dueIn(e.id, 30);
    const calibratedOn = yearBefore(inDays(30));
    await reception
      .post(`/instruments/${both.id}/history`, { service: 'calibration', date: calibratedOn, passed: null })
      .expect(201);
    const noInterval = (await reception.get(`/instruments/${both.id}`).expect(200)).body;
    expect(noInterval).toMatchObject({ lastCalibrationDate: calibratedOn, nextCalibrationDate: null });
    await reception.patch(`/instruments/${both.id}`, { calibrationIntervalMonths: 0 }).expect(400);
    const patched = await reception.patch(`/instruments/${both.id}`, { calibrationIntervalMonths: 12 }).expect(200);
    expect(patched.body).toMatchObject({ calibrationIntervalMonths: 12, nextCalibrationDate: inDays(30) });
    const list = await reception.get(`/instruments/due?service=calibration&within=31&owner=${e.id}`).expect(200);
    expect(list.body.items).toMatchObject([{ id: both.id, service: 'calibration', nextDueDate: inDays(30) }]);

    expect(await scan()).toMatchObject({ notices: 1, instruments: 2 });
    const hook = await eventually(async () => hooksOf(e.id)[0]);
    expect(hook.json.data).toMatchObject({ period: 'due_30' });
    const data = hook.json.data as {
      instruments: { instrumentId: string; service: string }[];
      requestBody: { items: unknown[] };
    };
    expect(data.instruments.map((l) => l.service).sort()).toEqual(['calibration', 'verification']);
    expect(data.instruments.every((l) => l.instrumentId === both.id)).toBe(true);
    expect(data.requestBody.items).toEqual(
      expect.arrayContaining([
        { instrumentId: both.id, service: 'verification_periodic' },
        { instrumentId: both.id, service: 'calibration' },
      ]),
    );
    const mail = await eventually(async () => mailsTo('em@calibration.example.vn')[0]);
    expect(mail.mail.subject).toContain('đến hạn kiểm định, hiệu chuẩn trong vòng 30 ngày');
    expect(mail.mail.text).toContain(`hạn hiệu chuẩn: ${vnDate(inDays(30))}`);
    expect(mail.mail.text).toContain(`calibration due: ${inDays(30)}`);
    const [notice] = (await as(sys, { key: e.key }).get('/notices').expect(200)).body.items;
    expect(notice.content.instruments).toHaveLength(2);

    expect(await scan()).toMatchObject({ notices: 0, instruments: 0 });
    // A calibration recorded later starts over from its own date (its next date is a year on).
    await reception
      .post(`/instruments/${both.id}/history`, { service: 'calibration', date: inDays(0), passed: null })
      .expect(201);
    const after = (await reception.get(`/instruments/${both.id}`).expect(200)).body;
    expect(after.nextCalibrationDate).toBe(`${Number(inDays(0).slice(0, 4)) + 1}${inDays(0).slice(4)}`);
  });
});

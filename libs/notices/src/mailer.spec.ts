import { Logger } from '@nestjs/common';
import { jest } from '@jest/globals';
import type { Env } from '#libs/core';
import { Mailer, mailErrorCategory } from './mailer.js';

describe('Mailer without SMTP_URL', () => {
  afterEach(() => jest.restoreAllMocks());

  it('says at start-up that e-mails are logged, and logs each e-mail in full instead of sending it', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const mailer = new Mailer({ MAIL_FROM: 'TĐC <no-reply@localhost>' } as Env);
    mailer.onModuleInit();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('SMTP_URL is not set'));
    const outcome = await mailer.send({ to: ['an@example.vn'], subject: 'Thông báo', text: 'Kính gửi …\n---\nDear …' });
    expect(outcome).toEqual({ kind: 'logged' });
    const line = String(log.mock.calls[0]?.[0]);
    expect(line).toContain('an@example.vn');
    expect(line).toContain('Thông báo');
    expect(line).toContain('Dear …');
  });
});

describe('mailErrorCategory', () => {
  it.each([
    [{ responseCode: 550 }, 'smtp_550'],
    [{ code: 'ECONNREFUSED' }, 'connection_refused'],
    [{ code: 'EAUTH' }, 'auth_failed'],
    [new Error('something else'), 'send_error'],
  ])('%j → %s', (error, category) => {
    expect(mailErrorCategory(error)).toBe(category);
  });
});

import type { Response } from 'express';
import { loadEnv } from '../config/env.js';
import { QUEUE_DASHBOARD_COOKIE, QUEUE_DASHBOARD_PATH, QueueDashboardController } from './queue-dashboard.js';

/** What the controller asks Express to set: the attributes are what makes the header (Express writes them as given). */
function cookies(nodeEnv: 'production' | 'development') {
  const env = loadEnv(
    nodeEnv === 'production'
      ? {
          NODE_ENV: 'production',
          JWT_SECRET: 'x'.repeat(32),
          SIGNING_P12_PATH: '/dev/null',
          SIGNING_P12_PASSPHRASE: 'p',
          PUBLIC_BASE_URL: 'https://lims.example.vn',
          LABORATORY_ADDRESS: 'Nha Trang',
          SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
        }
      : { NODE_ENV: nodeEnv },
  );
  const calls: { op: string; name: string; options: Record<string, unknown> }[] = [];
  const res = {
    cookie: (name: string, _value: string, options: Record<string, unknown>) =>
      calls.push({ op: 'set', name, options }),
    clearCookie: (name: string, options: Record<string, unknown>) => calls.push({ op: 'clear', name, options }),
  } as unknown as Response;
  const controller = new QueueDashboardController(env);
  controller.open('Bearer a.b.c', res);
  controller.close(res);
  return calls;
}

describe('queue dashboard cookie', () => {
  it('is Secure in production, when set and when cleared, and always HttpOnly and SameSite=Strict', () => {
    const calls = cookies('production');
    expect(calls.map((c) => [c.op, c.name])).toEqual([
      ['set', QUEUE_DASHBOARD_COOKIE],
      ['clear', QUEUE_DASHBOARD_COOKIE],
    ]);
    for (const { options } of calls)
      expect(options).toMatchObject({ secure: true, httpOnly: true, sameSite: 'strict', path: QUEUE_DASHBOARD_PATH });
  });

  it('is not Secure in development (http://localhost)', () => {
    for (const { options } of cookies('development')) expect(options).toMatchObject({ secure: false, httpOnly: true });
  });
});

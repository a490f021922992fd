import { Controller, Delete, Headers, HttpCode, Inject, Post, Res, type INestApplication } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CookieOptions, NextFunction, Request, RequestHandler, Response } from 'express';
import { ENV } from '../config/config.module.js';
import type { Env } from '../config/env.js';
import { Allow, PRINCIPAL_RESOLVER, type PrincipalResolver } from '../access/access.js';
import { DomainError, ForbiddenError, UnauthenticatedError } from '../errors/domain-error.js';
import { ProblemDetailsFilter } from '../errors/problem-details.filter.js';
import { JobQueue } from './job-queue.service.js';
import { ALL_QUEUES } from './jobs.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
/** Carries an admin's access token to the dashboard, which a browser opens without an Authorization header. */
export const QUEUE_DASHBOARD_COOKIE = 'tdc_queue_dashboard';

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Mounts bull-board (the queues' dashboard: waiting, active, failed jobs; retry) at /admin/queues,
 * for admins only. It is plain Express, outside Nest's guards, so the check is done here with the
 * same principal resolver: `Authorization: Bearer <admin access token>`, or the cookie that
 * `POST /admin/queue-dashboard/session` sets for a browser.
 */
export function mountQueueDashboard(app: INestApplication): void {
  const jobs = app.get(JobQueue);
  const resolver = app.get<PrincipalResolver>(PRINCIPAL_RESOLVER, { strict: false });
  // bull-board (≈ 100 modules with its Express adapter) is loaded on an admin's first visit, not at
  // start-up: most processes never serve the dashboard.
  let board: Promise<RequestHandler> | undefined;
  const dashboard: RequestHandler = (req, res, next) => {
    (board ??= boardRouter(jobs)).then((router) => router(req, res, next), next);
  };
  const problems = new ProblemDetailsFilter();
  const adminOnly = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const fromCookie = cookie(req.headers.cookie, QUEUE_DASHBOARD_COOKIE);
      const headers =
        req.headers.authorization || !fromCookie ? req.headers : { authorization: `Bearer ${fromCookie}` };
      const principal = await resolver.resolve(headers);
      if (!principal) throw new UnauthenticatedError();
      if (principal.kind !== 'staff' || !principal.roles.includes('admin')) {
        throw new ForbiddenError('access.denied', 'The queue dashboard is for: admin');
      }
      next();
    } catch (e) {
      const problem = problems.toProblem(e instanceof DomainError ? e : new UnauthenticatedError());
      res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
    }
  };
  app.use(QUEUE_DASHBOARD_PATH, adminOnly, dashboard);
}

async function boardRouter(jobs: JobQueue): Promise<RequestHandler> {
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: ALL_QUEUES.map((name) => new BullMQAdapter(jobs.queue(name))),
    // @bull-board/express 9.10.1 brings its own copy of @bull-board/api (9.10.1, beside our 9.10.2):
    // the same adapter at run time, two declarations of it for TypeScript.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'TĐC LIMS queues' } },
  });
  return serverAdapter.getRouter() as RequestHandler;
}

@ApiTags('system')
@Controller('admin/queue-dashboard')
export class QueueDashboardController {
  constructor(@Inject(ENV) private readonly env: Env) {}

  @Post('session')
  @HttpCode(204)
  @Allow('admin')
  @ApiOperation({
    summary: `Lets this browser open the queue dashboard at ${QUEUE_DASHBOARD_PATH}: sets an HttpOnly cookie with the access token`,
  })
  @ApiNoContentResponse({ description: 'The cookie is set' })
  open(@Headers('authorization') authorization: string, @Res({ passthrough: true }) res: Response): void {
    const token = authorization.replace(/^Bearer +/i, '').trim();
    // The token itself expires sooner (or ends with its session); the cookie only carries it.
    res.cookie(QUEUE_DASHBOARD_COOKIE, token, { ...this.attributes(), maxAge: 3600_000 });
  }

  /** Set and cleared with the same attributes: `Secure` in production (HTTPS only), HttpOnly, SameSite=Strict. */
  private attributes(): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.env.NODE_ENV === 'production',
      path: QUEUE_DASHBOARD_PATH,
    };
  }

  @Delete('session')
  @HttpCode(204)
  @Allow('admin')
  @ApiOperation({ summary: 'Forget the queue dashboard cookie of this browser' })
  @ApiNoContentResponse({ description: 'The cookie is cleared' })
  close(@Res({ passthrough: true }) res: Response): void {
    res.clearCookie(QUEUE_DASHBOARD_COOKIE, this.attributes());
  }
}

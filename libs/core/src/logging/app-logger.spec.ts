import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { AppLogger, runWithRequestLogger } from './app-logger.js';
import { httpLogOptions } from './logging.module.js';

type Line = Record<string, unknown> & { msg?: string; err?: { message: string; stack: string } };

function capture(): { stream: Writable; lines: Line[] } {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  return { stream, lines };
}

describe('AppLogger (Nest logger over pino)', () => {
  it("writes Nest's message and context as one JSON line", () => {
    const { stream, lines } = capture();
    new AppLogger(pino(stream)).log('Nest application successfully started', 'NestApplication');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'Nest application successfully started', context: 'NestApplication' }),
    ]);
  });

  it('puts errors under err, including the message-and-stack call of Nest’s ExceptionsHandler', () => {
    const { stream, lines } = capture();
    const logger = new AppLogger(pino(stream));
    logger.error(new Error('db down'), 'Errors');
    logger.error('boom', 'Error: boom\n    at handler (x.js:1:1)', 'ExceptionsHandler');
    logger.warn({ jobId: 'j1' }, 'Queue');
    expect(lines[0]).toMatchObject({ level: 50, context: 'Errors', err: { message: 'db down' } });
    expect(lines[1]).toMatchObject({ level: 50, context: 'ExceptionsHandler', err: { message: 'boom' } });
    expect(lines[1]!.err!.stack).toContain('at handler (x.js:1:1)');
    expect(lines[2]).toMatchObject({ level: 40, context: 'Queue', jobId: 'j1' });
  });

  it("logs through the request's logger while a request is handled", () => {
    const { stream, lines } = capture();
    const root = pino(stream);
    const logger = new AppLogger(root);
    runWithRequestLogger(root.child({ reqId: 'r-1' }), () => logger.log('inside', 'X'));
    logger.log('outside', 'X');
    expect(lines[0]).toMatchObject({ msg: 'inside', reqId: 'r-1' });
    expect(lines[1]!.reqId).toBeUndefined();
  });
});

describe('request logging (httpLogOptions + pino-http)', () => {
  let server: Server;
  let lines: Line[];

  beforeAll(async () => {
    const captured = capture();
    lines = captured.lines;
    const http = pinoHttp({ ...httpLogOptions('info', 'test'), stream: captured.stream });
    const logger = new AppLogger(http.logger);
    server = createServer((req, res) =>
      http(req, res, () =>
        runWithRequestLogger(req.log, () => {
          new Logger('Handler').log('handling');
          res.end('ok');
        }),
      ),
    );
    Logger.overrideLogger(logger);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    Logger.overrideLogger(false);
    await new Promise((resolve) => server.close(resolve));
  });

  it('echoes a sane request id, logs the request with secrets redacted, and tags in-request lines with it', async () => {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/x`, {
      headers: { 'X-Request-Id': 'rid-42', Authorization: 'Bearer secret', 'X-Api-Key': 'k' },
    });
    expect(res.headers.get('x-request-id')).toBe('rid-42');
    await new Promise((r) => setImmediate(r));
    const handling = lines.find((l) => l.msg === 'handling');
    expect(handling).toMatchObject({ context: 'Handler', service: 'test', req: { id: 'rid-42' } });
    const completed = lines.find((l) => l.msg === 'request completed') as { req: { headers: Record<string, string> } };
    expect(completed.req.headers.authorization).toBe('[Redacted]');
    expect(completed.req.headers['x-api-key']).toBe('[Redacted]');
  });

  it('makes up a request id when the given one is not sane', async () => {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/y`, { headers: { 'X-Request-Id': 'has spaces in it' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

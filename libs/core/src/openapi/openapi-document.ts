import { ParseIntPipe, ParseUUIDPipe, type INestApplication, type Type } from '@nestjs/common';
import { PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ResponseObject,
} from '@nestjs/swagger';
import { ACCESS_METADATA, type AccessPolicy, type Audience } from '../access/access.js';
import {
  PROBLEM_DESCRIPTIONS,
  PROBLEM_MEDIA_TYPE,
  RATE_LIMITED_METADATA,
  type ProblemStatus,
} from './api-responses.js';
import { ProblemView } from './problem.view.js';

export const STAFF_SCHEME = 'staff';
export const BUSINESS_SCHEME = 'business';

/** A route handler as the guard sees it: the class and the method that Reflector reads. */
interface Handler {
  type: Type<unknown>;
  method: string;
  fn: (...args: unknown[]) => unknown;
  policy: AccessPolicy | undefined;
  rateLimited: boolean;
}

export interface OpenApiInfo {
  title: string;
  description: string;
  version: string;
}

/**
 * The OpenAPI document of the running app, generated from its controllers, DTOs and decorators, then
 * completed from the same metadata the framework acts on: security from the access policy the
 * AccessGuard reads (@Public/@Allow), path parameter formats from their pipes, the problem responses
 * every route can give from its shape, Idempotency-Key on every POST (IdempotencyInterceptor is
 * global) and rate-limit headers where @ApiRateLimited. Nothing here is maintained by hand per route.
 */
export function createOpenApiDocument(app: INestApplication, info: OpenApiInfo): OpenAPIObject {
  const { classes, handlers } = discoverHandlers(app);
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version)
    .setLicense('Proprietary', 'https://tdc-lims.local/license')
    .addServer('/', 'This server')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Staff access token (POST /auth/login)' },
      STAFF_SCHEME,
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'Business API key (issued by the centre)' },
      BUSINESS_SCHEME,
    )
    .build();
  const doc = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemView],
    operationIdFactory: (controller, method) => operationId(classes, controller, method),
  });
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const verb of HTTP_VERBS) {
      const op = item[verb];
      if (!op) continue;
      const handler = handlers.get(op.operationId ?? '');
      if (!handler) throw new Error(`OpenAPI: ${verb.toUpperCase()} ${path} (${op.operationId}) has no known handler`);
      completeOperation(op, verb, handler);
    }
  }
  return doc;
}

const HTTP_VERBS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Verb = (typeof HTTP_VERBS)[number];

function completeOperation(op: OperationObject, verb: Verb, handler: Handler): void {
  if (!handler.policy) throw new Error(`OpenAPI: ${handler.type.name}.${handler.method} declares no access policy`);
  describeAccess(op, handler.policy);
  describeParameters(op, handler);
  if (verb === 'post') describeIdempotency(op);
  describeProblems(op, verb, handler);
  if (handler.rateLimited) describeRateLimit(op);
  for (const response of Object.values(op.responses) as ResponseObject[]) {
    if (!response.description) response.description = 'OK';
  }
}

/** Every controller route of the app: what the AccessGuard and the pipes will act on. */
function discoverHandlers(app: INestApplication): {
  classes: Map<string, Type<unknown>>;
  handlers: Map<string, Handler>;
} {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const classes = new Map<string, Type<unknown>>();
  const handlers = new Map<string, Handler>();
  for (const wrapper of discovery.getControllers()) {
    const type = wrapper.metatype as Type<unknown> | undefined;
    if (!type || classes.get(type.name) === type) continue;
    if (classes.has(type.name)) throw new Error(`OpenAPI: two controllers are named ${type.name}`);
    classes.set(type.name, type);
    const prototype = type.prototype as Record<string, (...args: unknown[]) => unknown>;
    for (const method of scanner.getAllMethodNames(prototype)) {
      const fn = prototype[method]!;
      if (Reflect.getMetadata(PATH_METADATA, fn) === undefined) continue;
      const policy = reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_METADATA, [fn, type]);
      const rateLimited = reflector.getAllAndOverride<boolean | undefined>(RATE_LIMITED_METADATA, [fn, type]) ?? false;
      handlers.set(operationId(classes, type.name, method), { type, method, fn, policy, rateLimited });
    }
  }
  return { classes, handlers };
}

/** `requests.create`: the controller's resource (last fixed segment of its path, camelCased) and the method. */
export function operationId(classes: Map<string, Type<unknown>>, controller: string, method: string): string {
  const type = classes.get(controller);
  if (!type) throw new Error(`OpenAPI: unknown controller ${controller}`);
  const path = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
  const resource = path
    .split('/')
    .filter((s) => s && !s.startsWith(':'))
    .pop();
  if (!resource) throw new Error(`OpenAPI: ${controller} has no fixed path segment to name its operations`);
  return `${resource.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}.${method}`;
}

const AUDIENCE_WORDS: Record<Audience, string> = {
  staff: 'any staff member',
  business: 'a business (its own data)',
  admin: 'admin',
  reception: 'reception',
  technician: 'technician',
  reviewer: 'reviewer',
  inspector: 'inspector',
};

/** Security as the AccessGuard enforces it: staff roles → bearer; business → API key; public → none. */
function describeAccess(op: OperationObject & { 'x-access'?: string[] }, policy: AccessPolicy): void {
  if (policy.public) {
    op.security = [];
    op['x-access'] = ['public'];
    op.description = join(op.description, '**Access:** public (no credentials).');
    return;
  }
  const staff = policy.audiences.filter((a) => a !== 'business');
  const business = policy.audiences.includes('business');
  op.security = [...(staff.length ? [{ [STAFF_SCHEME]: [] }] : []), ...(business ? [{ [BUSINESS_SCHEME]: [] }] : [])];
  op['x-access'] = [...policy.audiences];
  const who = policy.audiences.map((a) => AUDIENCE_WORDS[a]).join(', ');
  op.description = join(op.description, `**Access:** ${who}.`);
}

function join(description: string | undefined, line: string): string {
  return description ? `${description}\n\n${line}` : line;
}

interface RouteArg {
  index: number;
  data?: unknown;
  pipes?: unknown[];
}

/** Path parameters parsed by ParseUUIDPipe are uuids, by ParseIntPipe integers (a bad one answers 400). */
function describeParameters(op: OperationObject, handler: Handler): void {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, handler.type, handler.method) ?? {}) as Record<
    string,
    RouteArg
  >;
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== RouteParamtypes.PARAM || typeof arg.data !== 'string') continue;
    const param = (op.parameters as ParameterObject[] | undefined)?.find((p) => p.in === 'path' && p.name === arg.data);
    if (!param) continue;
    const pipes = arg.pipes ?? [];
    const uses = (pipe: Type<unknown>) => pipes.some((p) => p === pipe || p instanceof pipe);
    if (uses(ParseUUIDPipe)) param.schema = { type: 'string', format: 'uuid' };
    else if (uses(ParseIntPipe)) param.schema = { type: 'integer' };
  }
}

const IDEMPOTENCY_KEY: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the same key with the same body answers the first answer again (with Idempotent-Replayed: true) ' +
    'for 24 h; with another body 422 `idempotency.key_reused`; while the first is running 409 `idempotency.in_progress`.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]{1,255}$' },
};

function describeIdempotency(op: OperationObject): void {
  op.parameters = [...(op.parameters ?? []), IDEMPOTENCY_KEY];
  for (const [status, response] of Object.entries(op.responses) as [string, ResponseObject][]) {
    if (!status.startsWith('2')) continue;
    response.headers = {
      ...response.headers,
      'Idempotent-Replayed': {
        description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
        schema: { type: 'string', enum: ['true'] },
      },
    };
  }
}

/** The problems a route can answer, from what it takes and who may call it (explicit @ApiProblems add to these). */
function derivedProblems(op: OperationObject, verb: Verb, handler: Handler): ProblemStatus[] {
  const params = (op.parameters ?? []) as ParameterObject[];
  const pathParams = params.some((p) => p.in === 'path');
  const writes = verb !== 'get';
  // 400 on every route, not only those with a body, a query or a parsed path parameter:
  // refuseNulCharacters (apps/api) refuses a NUL in the path or in any query parameter, declared or not.
  const statuses: ProblemStatus[] = [400];
  if (handler.policy && !handler.policy.public) statuses.push(401, 403);
  if (pathParams || (writes && op.requestBody)) statuses.push(404);
  if (writes) statuses.push(409, 422);
  if (handler.rateLimited) statuses.push(429);
  return statuses;
}

function describeProblems(op: OperationObject, verb: Verb, handler: Handler): void {
  for (const status of derivedProblems(op, verb, handler)) {
    if (op.responses[status]) continue;
    op.responses[status] = {
      description: PROBLEM_DESCRIPTIONS[status],
      content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/ProblemView' } } },
    };
  }
  const tooMany = op.responses[429] as ResponseObject | undefined;
  if (tooMany) {
    tooMany.headers = {
      ...tooMany.headers,
      'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
    };
  }
}

const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': { description: 'Requests allowed per window', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in this window', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
};

function describeRateLimit(op: OperationObject): void {
  for (const response of Object.values(op.responses) as ResponseObject[]) {
    response.headers = { ...response.headers, ...RATE_LIMIT_HEADERS };
  }
  op.description = join(op.description, '**Rate limit:** per client address (RateLimit-* headers).');
}

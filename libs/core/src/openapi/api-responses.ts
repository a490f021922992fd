import { applyDecorators, SetMetadata, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { Page } from '../pagination/pagination.js';
import { ProblemView } from './problem.view.js';

/** The error statuses this API answers, each as application/problem+json (ProblemView). */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

export const PROBLEM_DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: 'Malformed request: `validation_failed` names each field in `errors`',
  401: 'No valid credentials: `auth.required` (log in or send the key) or `auth.token_expired` (refresh)',
  403: 'The caller may not do this: `access.denied` names who may',
  404: 'Not found (or not the caller’s to see)',
  409: 'Conflicts with the current state (the `code` says which), or the Idempotency-Key is still in use',
  413: 'The upload is too large',
  422: 'Well-formed but breaks a domain rule (the `code` says which), or the Idempotency-Key was used with another body',
  429: 'Too many requests: wait `Retry-After` seconds',
  503: 'A dependency does not answer',
};

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Error responses a route answers beyond those derived from its shape (see createOpenApiDocument). */
export function ApiProblems(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemView),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status],
        content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemView) } } },
      }),
    ),
  );
}

export const RATE_LIMITED_METADATA = 'tdc:rate-limited';

/**
 * The route is rate-limited per client: its answers carry RateLimit-Limit/-Remaining/-Reset and it
 * may answer 429 with Retry-After. For the guard that limits it to put beside @UseGuards.
 */
export const ApiRateLimited = (): MethodDecorator & ClassDecorator => SetMetadata(RATE_LIMITED_METADATA, true);

const pageTypes = new Map<Type<unknown>, Type<Page<unknown>>>();

/** A named page schema (`<Item>Page`) for `Page<Item>`: one class per item type. */
export function PageOf<T>(item: Type<T>): Type<Page<T>> {
  const known = pageTypes.get(item);
  if (known) return known as Type<Page<T>>;
  class ItemPage implements Page<T> {
    @ApiProperty({ type: [item] }) items!: T[];
    @ApiProperty({
      type: String,
      nullable: true,
      description: 'Pass as `cursor` to get the next page; null on the last page',
    })
    nextCursor!: string | null;
  }
  Object.defineProperty(ItemPage, 'name', { value: `${item.name.replace(/View$/, '')}Page` });
  pageTypes.set(item, ItemPage);
  return ItemPage;
}

/** 200 with a page of `item`s (`{ items, nextCursor }`). */
export const ApiPageResponse = <T>(item: Type<T>, description?: string): MethodDecorator =>
  ApiOkResponse({ type: PageOf(item), ...(description ? { description } : {}) });

/** An RFC 9457 problem as the API answers it (application/problem+json), with field errors. */
export interface Problem {
  status?: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
}

/** Thrown by `unwrap` so TanStack Query carries the problem to the screen. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? 'Request failed');
  }
}

function asProblem(error: unknown, status: number): Problem {
  if (error && typeof error === 'object') return { status, ...(error as Problem) };
  return { status, title: String(error ?? status) };
}

/** The data of an openapi-fetch answer, or a ProblemError with the API's problem details. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw new ProblemError(asProblem(result.error, result.response.status));
}

/** The message of the field error naming this field or a part of it (`points[0].readings` etc.). */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ProblemError)) return undefined;
  const match = (f: string) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`);
  return error.problem.errors?.find((e) => match(e.field))?.message;
}

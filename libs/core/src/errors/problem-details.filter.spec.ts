import { NotFoundError } from './domain-error.js';
import { PROBLEM_BASE, ProblemDetailsFilter, problemType } from './problem-details.filter.js';

// RFC 3986 URI reference, as ajv-formats checks `format: uri-reference` (the schema of ProblemView.type).
const URI_REFERENCE =
  /^(?:[a-z][a-z0-9+\-.]*:)?(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:[0-9a-f:.]+)\]|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?)?(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;

describe('problem details', () => {
  it('gives a code with a space a type that is still a URI reference, and keeps the code as it is', () => {
    const problem = new ProblemDetailsFilter().toProblem(new NotFoundError('result revision', 'x'));
    expect(problem.code).toBe('result revision.not_found');
    expect(problem.type).toBe(`${PROBLEM_BASE}result%20revision.not_found`);
    expect(problem.type).toMatch(URI_REFERENCE);
  });

  it('leaves an ordinary code readable in its type', () => {
    expect(problemType('request.not_found')).toBe(`${PROBLEM_BASE}request.not_found`);
  });
});

import type { Response, Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { checkResponse } from './response-contract.js';

type Assert = (error: Error | null, res: Response | undefined, fn: (...args: unknown[]) => void) => void;

/**
 * The supertest agent with every response checked against the OpenAPI document. supertest hands
 * each response to Test#assert (whether the test awaits it or calls end()), so that is the hook.
 */
export function checkedAgent(agent: TestAgent): TestAgent {
  return new Proxy(agent, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const made: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        return isTest(made) ? observed(made) : made;
      };
    },
  });
}

function isTest(value: unknown): value is Test & { assert: Assert } {
  return typeof value === 'object' && value !== null && typeof (value as { assert?: unknown }).assert === 'function';
}

function observed(test: Test & { assert: Assert }): Test {
  const assert = test.assert.bind(test);
  test.assert = (error, res, fn) => {
    if (res) checkResponse(test.method, test.url, observedResponse(res));
    assert(error, res, fn);
  };
  return test;
}

function observedResponse(res: Response) {
  const length = res.headers['content-length'];
  const text = typeof res.text === 'string' ? res.text : undefined;
  const hasBody = length !== undefined ? length !== '0' : text !== undefined ? text.length > 0 : res.body != null;
  return { status: res.status, contentType: res.headers['content-type'], hasBody, body: res.body as unknown };
}

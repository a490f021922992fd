import { loadOrder } from './load-order.js';

describe('loadOrder', () => {
  it('puts every referenced table before the tables that reference it', () => {
    const order = loadOrder(
      ['certificate', 'organization', 'instrument', 'staff_user'],
      [
        { child: 'certificate', parent: 'instrument' },
        { child: 'instrument', parent: 'organization' },
        { child: 'certificate', parent: 'staff_user' },
      ],
    );
    expect(order.indexOf('organization')).toBeLessThan(order.indexOf('instrument'));
    expect(order.indexOf('instrument')).toBeLessThan(order.indexOf('certificate'));
    expect(order.indexOf('staff_user')).toBeLessThan(order.indexOf('certificate'));
    expect(order).toHaveLength(4);
  });

  it('accepts a table that references itself', () => {
    expect(loadOrder(['standard'], [{ child: 'standard', parent: 'standard' }])).toEqual(['standard']);
  });

  it('ignores references to tables that are not being loaded', () => {
    expect(loadOrder(['a'], [{ child: 'a', parent: 'typeorm_migrations' }])).toEqual(['a']);
  });

  it('names the tables of a cycle', () => {
    expect(() =>
      loadOrder(
        ['a', 'b', 'c'],
        [
          { child: 'a', parent: 'b' },
          { child: 'b', parent: 'a' },
        ],
      ),
    ).toThrow('foreign keys form a cycle among: a, b');
  });
});

import { NumberForecast } from './number-forecast.js';

describe('NumberForecast', () => {
  it('guesses nothing until the process has taken a number of the series', () => {
    const f = new NumberForecast();
    const first = f.expect(['verification', 'stamp'], 2026);
    expect(first).toMatchObject({ guess: undefined, worthDrawing: false });
    expect(first.settle([41, 17])).toBe(false);
    expect(f.stats).toEqual({ guessedRight: 0, guessedWrong: 0, notGuessed: 1 });
    expect(f.expect(['verification', 'stamp'], 2026)).toMatchObject({ guess: [42, 18], worthDrawing: true });
  });

  it('counts the issues that asked before and have no answer yet: they are served first', () => {
    const f = new NumberForecast();
    f.expect(['calibration'], 2026).settle([9]);
    const a = f.expect(['calibration'], 2026);
    const b = f.expect(['calibration'], 2026);
    const c = f.expect(['calibration'], 2026);
    expect([a.guess, b.guess, c.guess]).toEqual([[10], [11], [12]]);
    expect(a.settle([10])).toBe(true);
    // Asked after a was answered, while b and c wait.
    const d = f.expect(['calibration'], 2026);
    expect(d.guess).toEqual([13]);
    expect([b.settle([11]), c.settle([12]), d.settle([13])]).toEqual([true, true, true]);
    expect(f.stats).toEqual({ guessedRight: 4, guessedWrong: 0, notGuessed: 1 });
  });

  it('keeps series apart: by kind and by year; a stamp is guessed with its certificate', () => {
    const f = new NumberForecast();
    f.expect(['verification', 'stamp'], 2026).settle([5, 3]);
    f.expect(['verification_failure'], 2026).settle([2]);
    f.expect(['verification', 'stamp'], 2027).settle([1, 1]);
    expect(f.expect(['verification', 'stamp'], 2026).guess).toEqual([6, 4]);
    expect(f.expect(['verification_failure'], 2026).guess).toEqual([3]);
    expect(f.expect(['verification', 'stamp'], 2027).guess).toEqual([2, 2]);
    expect(f.expect(['calibration'], 2026).guess).toBeUndefined();
  });

  it('stops drawing ahead after a wrong guess (another process took numbers), until a guess is right again', () => {
    const f = new NumberForecast();
    f.expect(['test_report'], 2026).settle([1]);
    // Another process took 2 and 3.
    const wrong = f.expect(['test_report'], 2026);
    expect(wrong).toMatchObject({ guess: [2], worthDrawing: true });
    expect(wrong.settle([4])).toBe(false);
    // Still guessed and checked, but not drawn.
    const checked = f.expect(['test_report'], 2026);
    expect(checked).toMatchObject({ guess: [5], worthDrawing: false });
    expect(checked.settle([5])).toBe(true);
    expect(f.expect(['test_report'], 2026)).toMatchObject({ guess: [6], worthDrawing: true });
    expect(f.stats).toMatchObject({ guessedRight: 1, guessedWrong: 1 });
  });

  it('a statement that failed takes no number and leaves its place', () => {
    const f = new NumberForecast();
    f.expect(['verification'], 2026).settle([7]);
    const failed = f.expect(['verification'], 2026);
    const next = f.expect(['verification'], 2026);
    expect(next.guess).toEqual([9]);
    expect(failed.settle(undefined)).toBe(false);
    // The one after the failure guessed one too many: wrong, not drawn ahead after it.
    expect(next.settle([8])).toBe(false);
    expect(f.expect(['verification'], 2026)).toMatchObject({ guess: [9], worthDrawing: false });
    // Settling twice changes nothing.
    expect(next.settle([8])).toBe(false);
    expect(f.stats).toEqual({ guessedRight: 0, guessedWrong: 1, notGuessed: 1 });
  });

  it('after a rollback gave a number back, the guesses made before it are wrong, the next ones right', () => {
    const f = new NumberForecast();
    f.expect(['calibration'], 2026).settle([20]);
    const a = f.expect(['calibration'], 2026);
    const b = f.expect(['calibration'], 2026);
    a.settle([21]); // a then rolls back: 21 is free again
    expect(b.settle([21])).toBe(false);
    const c = f.expect(['calibration'], 2026);
    expect(c.guess).toEqual([22]);
    expect(c.settle([22])).toBe(true);
  });
});

import { standardStatusOn } from './standard-status.js';

const cal = (calibrationDate: string, dueDate: string) => ({ calibrationDate, dueDate });
const check = (checkDate: string, passed: boolean) => ({ checkDate, passed });

describe('standardStatusOn', () => {
  const calibrated = { status: 'in_service' as const, calibrations: [cal('2024-01-10', '2025-01-10')], checks: [] };

  it('is usable from the calibration date up to and including the due date', () => {
    expect(standardStatusOn(calibrated, '2024-01-10')).toMatchObject({ usable: true, reasons: [] });
    expect(standardStatusOn(calibrated, '2025-01-10').usable).toBe(true);
    expect(standardStatusOn(calibrated, '2025-01-11')).toMatchObject({
      usable: false,
      reasons: ['calibration_overdue'],
    });
  });

  it('has no calibration before the first one', () => {
    expect(standardStatusOn(calibrated, '2024-01-09')).toMatchObject({
      usable: false,
      reasons: ['no_calibration'],
      calibration: null,
    });
  });

  it('uses the latest calibration on or before the date, not a later one', () => {
    const twice = { ...calibrated, calibrations: [cal('2024-01-10', '2025-01-10'), cal('2025-01-20', '2026-01-20')] };
    expect(standardStatusOn(twice, '2025-01-15').reasons).toEqual(['calibration_overdue']);
    expect(standardStatusOn(twice, '2025-01-20')).toMatchObject({
      usable: true,
      calibration: { calibrationDate: '2025-01-20' },
    });
  });

  it('is unusable after a failed intermediate check until it is recalibrated', () => {
    const failed = { ...calibrated, checks: [check('2024-06-01', true), check('2024-07-01', false)] };
    expect(standardStatusOn(failed, '2024-06-30').usable).toBe(true);
    expect(standardStatusOn(failed, '2024-07-01').reasons).toEqual(['failed_intermediate_check']);
    const passedAgain = { ...failed, checks: [...failed.checks, check('2024-07-05', true)] };
    expect(standardStatusOn(passedAgain, '2024-07-05').usable).toBe(true);
    const recalibrated = { ...failed, calibrations: [...failed.calibrations, cal('2024-07-10', '2025-07-10')] };
    expect(standardStatusOn(recalibrated, '2024-07-09').reasons).toEqual(['failed_intermediate_check']);
    expect(standardStatusOn(recalibrated, '2024-07-10').usable).toBe(true);
    const sameDay = { ...failed, calibrations: [...failed.calibrations, cal('2024-07-01', '2025-07-01')] };
    expect(standardStatusOn(sameDay, '2024-07-02').reasons).toEqual(['failed_intermediate_check']);
  });

  it('gives every reason at once', () => {
    const bad = {
      status: 'out_of_service' as const,
      calibrations: [cal('2020-01-01', '2021-01-01')],
      checks: [check('2020-06-01', false)],
    };
    expect(standardStatusOn(bad, '2024-01-01').reasons).toEqual([
      'out_of_service',
      'calibration_overdue',
      'failed_intermediate_check',
    ]);
  });
});

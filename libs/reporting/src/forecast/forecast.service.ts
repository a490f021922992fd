import { Injectable } from '@nestjs/common';
import { todayInVietnam } from '#libs/registry';
import { monthStart } from '../dates.js';
import { forecast } from './forecast.js';
import type { ForecastQuery, ForecastView } from './forecast.dto.js';
import { ForecastRepository } from './forecast.repository.js';

export const FORECAST_MONTHS = 12;

/** The demand forecast for the next 12 months (from the first day of next month), GET /forecast. */
@Injectable()
export class ForecastService {
  constructor(private readonly repository: ForecastRepository) {}

  async forecast(query: ForecastQuery, today: string = todayInVietnam()): Promise<ForecastView> {
    const start = monthStart(today, 1);
    const end = monthStart(today, 1 + FORECAST_MONTHS);
    const windowStart = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
    const due = await this.repository.due(start, end);
    const types = await this.repository.types(windowStart, today, start);
    const authorisations = await this.repository.authorisations(start, end);
    const result = forecast({
      start,
      months: FORECAST_MONTHS,
      due,
      types,
      authorisations,
      itemsPerTechnicianDay: query.itemsPerTechnicianDay,
    });
    const names = await this.repository.communeNames(
      [...new Set(result.communes.map((c) => c.communeId))].filter((c): c is string => !!c),
    );
    return {
      from: start.slice(0, 7),
      months: FORECAST_MONTHS,
      itemsPerTechnicianDay: query.itemsPerTechnicianDay,
      types: result.types.map(({ typeId, ...t }) => ({ instrumentTypeId: typeId, ...t })),
      byMonth: result.months.map(({ typeId, ...m }) => ({ instrumentTypeId: typeId, ...m })),
      byCommune: result.communes
        .map(({ typeId, ...c }) => ({
          instrumentTypeId: typeId,
          communeName: c.communeId ? (names.get(c.communeId) ?? null) : null,
          ...c,
        }))
        .sort((a, b) => a.month.localeCompare(b.month) || b.due - a.due || a.service.localeCompare(b.service)),
    };
  }
}

export * from './reporting.module.js';
export * from './statistics/statistics.dto.js';
export * from './statistics/statistics.service.js';
export * from './forecast/forecast.dto.js';
export * from './forecast/forecast.service.js';
export * from './forecast/forecast.js';

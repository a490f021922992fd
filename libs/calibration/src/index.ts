/**
 * @packageDocumentation
 * Calibration and verification results (kết quả hiệu chuẩn / kiểm định): uncertainty budgets over HTTP,
 * worksheet templates, results with immutable revisions, review and approval, reverse traceability.
 */
export * from './calibration.errors.js';
export * from './calibration.module.js';
export * from './calibration-read.module.js';
export * from './results/result.entity.js';
export * from './templates/template.entity.js';
export * from './results/calibration-result-reader.js';
export * from './results/certificate-draft.js';
export * from './results/calibration-certificate-source.js';
export * from './results/result.service.js';
export * from './templates/template.service.js';
export * from './results/computation.js';
export * from './results/dto/result.dto.js';
export * from './templates/dto/template.dto.js';
export * from './templates/dto/worksheet.dto.js';
export * from './item-worksheet/dto/item-worksheet.dto.js';
export * from './traceability/dto/affected.dto.js';
export * from './uncertainty-api/dto/evaluate.dto.js';
export * from './budget/budget-term.dto.js';
export type { BudgetTermSpec, ResolvedTerm, TermSource } from './budget/budget-terms.js';
export * from './traceability/traceability.service.js';

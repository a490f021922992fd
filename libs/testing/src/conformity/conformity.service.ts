import { Injectable } from '@nestjs/common';
import { UnprocessableError } from '#libs/core';
import type { TestParameter } from '../catalogue/catalogue.entity.js';
import { TestingCatalogueService } from '../catalogue/catalogue.service.js';
import { toLimitSpec } from '../catalogue/presenters.js';
import type { EvaluateConformityDto, EvaluatedRowView, EvaluationView } from '../dto/conformity.dto.js';
import { CONFORMITY_LABELS, evaluate, type EvaluatedRow, type EvaluationRow } from './conformity.js';
import { ResultInputError, UnconfirmedLimitError } from './errors.js';

const invalidResult = (field: string, message: string) =>
  new UnprocessableError('conformity.invalid_result', message, { errors: [{ field, message }] });

/** Runs the conformity engine on posted results against the catalogue (analysts; part B's worksheet). */
@Injectable()
export class ConformityService {
  constructor(private readonly catalogue: TestingCatalogueService) {}

  async evaluate(dto: EvaluateConformityDto): Promise<EvaluationView> {
    const { product, details } = await this.catalogue.load(dto.productId);
    if (dto.level !== undefined && !product.levels.includes(dto.level))
      throw new UnprocessableError(
        'conformity.invalid_sample',
        `${product.code} has levels ${product.levels.join(', ') || '(none)'}, not ${dto.level}`,
      );
    if (dto.grade !== undefined && !product.grades.includes(dto.grade))
      throw new UnprocessableError(
        'conformity.invalid_sample',
        `${product.code} has grades ${product.grades.join(', ') || '(none)'}, not ${dto.grade}`,
      );
    const known = details.regulations.map((r) => r.code);
    const regulations = dto.regulations ?? details.regulations.filter((r) => r.kind !== 'standard').map((r) => r.code);
    const unknown = regulations.filter((c) => !known.includes(c));
    if (unknown.length)
      throw new UnprocessableError(
        'conformity.invalid_sample',
        `${product.code} is not under ${unknown.join(', ')} (it is under ${known.join(', ')})`,
      );
    const byCode = new Map(details.parameters.map((p) => [p.code, p]));
    const rows = dto.results.map((r, i): EvaluationRow => {
      const parameter = byCode.get(r.parameter);
      if (!parameter) throw invalidResult(`results[${i}].parameter`, `${product.code} has no parameter ${r.parameter}`);
      const methods = details.methods.get(parameter.id) ?? [];
      const method = r.method === undefined ? methods[0] : methods.find((m) => m.code === r.method);
      if (r.method !== undefined && !method)
        throw invalidResult(
          `results[${i}].method`,
          `${r.parameter} has methods ${methods.map((m) => m.code).join(', ')}`,
        );
      return {
        parameter,
        method,
        limits: (details.limits.get(parameter.id) ?? []).map((l) => toLimitSpec(l, parameter.code)),
        input: r,
      };
    });
    const rule =
      dto.decisionRule === 'guarded'
        ? { kind: 'guarded' as const, guardBandFactor: dto.guardBandFactor }
        : { kind: 'simple' as const };
    const evaluation = this.run(
      rows,
      { testDate: dto.testDate, level: dto.level, grade: dto.grade, regulations },
      rule,
      dto,
    );
    return {
      productId: product.id,
      productCode: product.code,
      testDate: dto.testDate,
      level: dto.level ?? null,
      grade: dto.grade ?? null,
      regulations,
      decisionRule: rule.kind,
      rows: evaluation.rows.map((row) => toRowView(row, byCode.get(row.parameter)!)),
      overall: evaluation.overall,
      overallLabel: evaluation.overall ? CONFORMITY_LABELS[evaluation.overall] : null,
      overallReason: evaluation.overallReason,
    };
  }

  /** The engine, its typed errors turned into problems: 422 naming the unconfirmed limit or the unreadable result. */
  private run(
    rows: EvaluationRow[],
    ctx: Parameters<typeof evaluate>[1],
    rule: Parameters<typeof evaluate>[2],
    dto: EvaluateConformityDto,
  ) {
    try {
      return evaluate(rows, ctx, rule);
    } catch (e) {
      if (e instanceof UnconfirmedLimitError)
        throw new UnprocessableError('spec_limit.unconfirmed', e.message, { limits: e.limits });
      if (e instanceof ResultInputError) {
        const i = dto.results.findIndex((r) => r.parameter === e.parameter);
        throw invalidResult(`results[${i}].${e.field}`, e.message);
      }
      throw e;
    }
  }
}

function toRowView(row: EvaluatedRow, p: TestParameter): EvaluatedRowView {
  const r = row.reported;
  const l = row.limit;
  return {
    parameter: p.code,
    nameVi: p.nameVi,
    nameEn: p.nameEn,
    unit: p.unit,
    method: row.method,
    resultKind: r.kind,
    value: r.kind === 'value' || r.kind === 'category' || r.kind === 'text' ? r.value : null,
    bound: r.kind === 'below' || r.kind === 'above' ? r.bound : r.kind === 'not_detected' ? r.lod : null,
    display: row.display,
    limit: l
      ? {
          id: l.id,
          regulationCode: l.regulation.code,
          level: l.level,
          grade: l.grade,
          season: l.season,
          kind: l.kind,
          display: row.limitDisplay!,
          confidence: l.confidence,
        }
      : null,
    conformity: row.judgement.conformity,
    decision: row.judgement.decision,
    label: CONFORMITY_LABELS[row.judgement.conformity],
    reason: row.judgement.reason,
  };
}

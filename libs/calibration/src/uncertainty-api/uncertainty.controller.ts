import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '#libs/core';
import { evaluateBudget, type BudgetInput } from '#libs/uncertainty';
import { toBudgetView, withUncertaintyErrors } from './budget-view.js';
import { BudgetEvaluationView, EvaluateBudgetDto } from './dto/evaluate.dto.js';

@ApiTags('uncertainty')
@Controller('uncertainty')
export class UncertaintyController {
  @Post('evaluate')
  @HttpCode(200)
  @Allow('technician', 'reviewer', 'admin')
  @ApiOperation({
    summary: 'Evaluate an uncertainty budget (GUM): contributions, u_c, ν_eff, k, U, rounded U and result',
    description:
      'Stateless: lets a technician try a budget before putting it in a template. Numbers in; decimal strings out. ' +
      'An infinite ν (Type B default, or ν_eff when every contributing ν is infinite) is `null` with ' +
      '`degreesOfFreedomInfinite` / `effectiveDegreesOfFreedomInfinite: true`. A malformed body answers 400 with ' +
      'field paths such as `components[2].halfWidth`; a budget the maths cannot evaluate (e.g. u_c = 0, duplicate ' +
      'names, a correlation naming no component) answers 422 `uncertainty.invalid_input` with the field. Where ' +
      'Welch–Satterthwaite does not apply (correlated inputs with finite ν, ν_eff < 1, k > 10) it answers 422 ' +
      "`uncertainty.welch_satterthwaite_not_applicable` with the reason, unless `coverageFactorFallback: 'k2'` asks " +
      'for k = 2, which the answer then states in `coverageFactorFallback`.',
  })
  @ApiOkResponse({ type: BudgetEvaluationView })
  evaluate(@Body() dto: EvaluateBudgetDto): BudgetEvaluationView {
    // The DTO has been validated to the BudgetInput shape; the maths re-checks what a DTO cannot (u_c > 0, names).
    return withUncertaintyErrors(() => toBudgetView(evaluateBudget(dto as unknown as BudgetInput)));
  }
}

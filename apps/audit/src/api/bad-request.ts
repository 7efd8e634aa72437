import { BadRequestException } from '@nestjs/common';
import type { ParamProblem } from './query-params.parser';

/** A 400 naming every wrong parameter: `{ message: ["format: must be one of …"], problems: [{ parameter, message }] }`. */
export function badParameters(problems: readonly ParamProblem[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: problems.map((problem) => `${problem.parameter}: ${problem.message}`),
    problems,
  });
}

import {
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from '@conveyor/observability';
import { Inject } from '@nestjs/common';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import { AuditExportService, type ExportRequest } from '../export/audit-export.service';
import { AuditorGuard } from './auditor.guard';
import { badParameters } from './bad-request';
import { parseEvidenceQuery, parseExportQuery, type QueryParams } from './query-params.parser';

const CONTENT_TYPES = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
} as const;

/**
 * Exports stream the entries; the signed manifest is stored under the export's id (header
 * `X-Audit-Export-Id`) before the response ends, and fetched at `/audit/exports/:id/manifest`.
 */
@Controller('audit')
@UseGuards(AuditorGuard)
export class AuditExportController {
  constructor(
    private readonly exports: AuditExportService,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  @Get('export')
  async export(@Query() query: QueryParams, @Res() res: Response): Promise<void> {
    const parsed = parseExportQuery(query);
    if (!parsed.ok) throw badParameters(parsed.problems);
    await this.stream(parsed.value, 'audit-export', res);
  }

  @Get('evidence/:deploymentId')
  async evidence(
    @Param('deploymentId') deploymentId: string,
    @Query() query: QueryParams,
    @Res() res: Response,
  ): Promise<void> {
    const parsed = parseEvidenceQuery(deploymentId, query);
    if (!parsed.ok) throw badParameters(parsed.problems);
    await this.stream(parsed.value, 'audit-evidence', res);
  }

  @Get('exports/:id/manifest')
  async manifest(@Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response): Promise<void> {
    const manifest = await this.exports.manifest(id);
    if (manifest === null)
      throw new NotFoundException(`no manifest for export ${id}: unknown id, or the export did not complete`);
    res.type('application/json').send(manifest);
  }

  private async stream(request: ExportRequest, prefix: string, res: Response): Promise<void> {
    const id = this.exports.newExportId();
    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPES[request.format]);
    res.setHeader('Content-Disposition', `attachment; filename="${prefix}-${id}.${request.format}"`);
    res.setHeader('X-Audit-Export-Id', id);
    res.setHeader('Link', `</audit/exports/${id}/manifest>; rel="describedby"`);
    try {
      const manifest = await this.exports.write(id, request, res);
      this.logger.info(
        { exportId: id, count: manifest.count, format: manifest.format },
        'audit export written',
      );
      res.end();
    } catch (error) {
      // Headers are gone: cut the response so the client sees an incomplete export (and no manifest).
      this.logger.error(
        { exportId: id, err: error instanceof Error ? error.message : String(error) },
        'audit export failed',
      );
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

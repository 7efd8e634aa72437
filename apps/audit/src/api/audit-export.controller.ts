import { errorMessage } from '@conveyor/errors';
import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from '@conveyor/observability';
import { Inject } from '@nestjs/common';
import {
  ApiRoles,
  CurrentApiCaller,
  SERVICE_LOGGER,
  validParam,
  validQuery,
  type ApiCaller,
} from '@conveyor/service-kit';
import { AuditAccessRecorder } from '../access/audit-access-recorder.service';
import type { AuditAccess } from '../access/access-entry';
import { AuditExportService, type ExportRequest } from '../export/audit-export.service';
import { AUDIT_API_ROLES } from './audit-api-roles';
import { deploymentIdParam, evidenceQuery, exportQuery, type ExportQuery } from './audit-query.schemas';

const CONTENT_TYPES = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
} as const;

/**
 * Exports stream the entries; the signed manifest is stored under the export's id (header
 * `X-Audit-Export-Id`) before the response ends, and fetched at `/audit/exports/:id/manifest`.
 */
@Controller('audit')
@ApiRoles(...AUDIT_API_ROLES)
export class AuditExportController {
  constructor(
    private readonly exports: AuditExportService,
    private readonly access: AuditAccessRecorder,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  @Get('export')
  async export(
    @Query(validQuery(exportQuery)) query: ExportQuery,
    @CurrentApiCaller() caller: ApiCaller,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.stream(query, 'audit-export', res, (exportId) =>
      this.access.answered(caller, exportAccess('export', req, query, exportId)),
    );
  }

  @Get('evidence/:deploymentId')
  async evidence(
    @Param('deploymentId', validParam('deploymentId', deploymentIdParam)) deploymentId: string,
    @Query(validQuery(evidenceQuery)) format: ExportQuery['format'],
    @CurrentApiCaller() caller: ApiCaller,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const query: ExportQuery = { filters: { relatedTo: deploymentId }, format };
    await this.stream(query, 'audit-evidence', res, (exportId) =>
      this.access.answered(caller, exportAccess('evidence', req, query, exportId)),
    );
  }

  @Get('exports/:id/manifest')
  async manifest(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentApiCaller() caller: ApiCaller,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.access.answered(caller, {
      action: 'manifest',
      path: req.originalUrl,
      filters: {},
      exportId: id,
    });
    const manifest = await this.exports.manifest(id);
    if (manifest === null)
      throw new NotFoundException(`no manifest for export ${id}: unknown id, or the export did not complete`);
    res.type('application/json').send(manifest);
  }

  /** Records the access (before any byte is sent: no record, no export), then streams. */
  private async stream(
    request: ExportRequest,
    prefix: string,
    res: Response,
    record: (exportId: string) => Promise<void>,
  ): Promise<void> {
    const id = this.exports.newExportId();
    await record(id);
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
      this.logger.error({ exportId: id, err: errorMessage(error) }, 'audit export failed');
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function exportAccess(
  action: 'export' | 'evidence',
  req: Request,
  request: ExportRequest,
  exportId: string,
): AuditAccess {
  return { action, path: req.originalUrl, filters: request.filters, format: request.format, exportId };
}

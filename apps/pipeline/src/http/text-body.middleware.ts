import { Inject, Injectable, PayloadTooLargeException, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PIPELINE_SETTINGS, type PipelineSettings } from '../config/pipeline-env';

const TEXT_TYPES = /^(application\/(x-)?yaml|text\/(x-)?yaml|text\/plain)\b/i;

/** Reads YAML (or plain text) bodies as a string, which the JSON parser leaves alone. */
@Injectable()
export class TextBodyMiddleware implements NestMiddleware {
  constructor(@Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings) {}

  use(req: Request, _res: Response, next: NextFunction): void {
    if (!TEXT_TYPES.test(req.headers['content-type'] ?? '') || typeof req.body === 'string') {
      next();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.settings.maxBodyBytes && !failed) {
        failed = true;
        next(new PayloadTooLargeException(`the body is larger than ${this.settings.maxBodyBytes} bytes`));
      } else if (!failed) chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      req.body = Buffer.concat(chunks).toString('utf8');
      next();
    });
    req.on('error', (error) => {
      if (!failed) next(error);
    });
  }
}

import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { pipelineService } from './pipeline.boot';

void runService(pipelineService);

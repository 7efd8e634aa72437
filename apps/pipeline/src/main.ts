import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { pipelineService } from './pipeline-service.definition';

void runService(pipelineService);

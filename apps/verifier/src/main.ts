import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { verifierService } from './verifier.boot';

void runService(verifierService);

// The worker entry point (`npm run start:worker`): the same service with RUN_MODE=worker unless told otherwise.
import 'reflect-metadata';
import { startFromCommandLine } from '../../service/src';

process.env.RUN_MODE ??= 'worker';
startFromCommandLine();

// The service's entry point (`npm start`, the image's CMD): RUN_MODE picks api, worker or all
// (default all), so it starts the composition root rather than the api alone.
import 'reflect-metadata';
import { startFromCommandLine } from '../../service/src';

startFromCommandLine();

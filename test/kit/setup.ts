import { afterAll } from '@jest/globals';
import { removeTempDirs } from './temp.js';

// Runs in every test file (jest setupFilesAfterEnv): the temp folders a file made are removed after its last test.
afterAll(removeTempDirs);

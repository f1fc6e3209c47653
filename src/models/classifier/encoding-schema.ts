/**
 * The zod schema of a stored FeatureEncoding, for readers that already load zod (serve's rules.json). Model
 * files are checked through meta-schema.ts, which loads zod only to word a problem.
 */
import { z } from 'zod';
import { encodingSchemaOf } from './meta-schema.js';

export const encodingSchema = encodingSchemaOf(z);

/**
 * pg, loaded without its Cloudflare probe's fetch `Response` (pg-probe-guard.ts says why). Every module of
 * src/ that needs pg's values imports it from here (type-only imports of 'pg' are free); the modules are
 * evaluated in import order, so the guard is in place while pg loads and gone before anything else runs.
 */
import { navigatorDefinedHere } from './pg-probe-guard.js';
import pg from 'pg';

if (navigatorDefinedHere) delete (globalThis as { navigator?: unknown }).navigator;

export default pg;

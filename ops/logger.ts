// Structured JSON logs (pino) for every role. LOG_LEVEL sets the threshold.

import pino from 'pino';

export const logger = pino({
  level: process.env['LOG_LEVEL'] ?? 'info',
  base: { service: 'mkondo' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = typeof logger;

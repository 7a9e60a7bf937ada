// Structured JSON logs (pino) for every role. LOG_LEVEL sets the threshold.

import pino from 'pino';

export const logger = pino({
  level: process.env['LOG_LEVEL'] ?? 'info',
  base: { service: 'mkondo' },
  timestamp: pino.stdTimeFunctions.isoTime,
  // Secrets never reach a log line, wherever an error or a request object carries them.
  redact: {
    paths: [
      'authorization',
      '*.authorization',
      'headers.authorization',
      '*.headers.authorization',
      'token',
      '*.token',
      'password',
      '*.password',
    ],
    censor: '[redacted]',
  },
});

export type Logger = typeof logger;

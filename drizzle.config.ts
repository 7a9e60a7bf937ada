// drizzle-kit configuration: `npx drizzle-kit generate` writes SQL migrations for the runtime's
// tables into schema/db/migrations, which are checked in and applied by runtime/db.ts migrate().

import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './schema/db/tables.ts',
  out: './schema/db/migrations',
});

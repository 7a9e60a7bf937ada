CREATE TABLE "admin_audit" (
	"id" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"operator" text NOT NULL,
	"roles" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"request" text,
	"status" integer NOT NULL,
	"outcome" text NOT NULL,
	"approval_id" text
);
--> statement-breakpoint
CREATE INDEX "admin_audit_at" ON "admin_audit" USING btree ("at");
--> statement-breakpoint
CREATE TABLE "admin_approvals" (
	"id" text PRIMARY KEY NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"requested_by" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"body" text,
	"state" text NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"outcome_status" integer,
	"outcome" text
);
--> statement-breakpoint
CREATE INDEX "admin_approvals_state" ON "admin_approvals" USING btree ("state","requested_at");

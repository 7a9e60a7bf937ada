CREATE TABLE "actor_snapshots" (
	"type" text NOT NULL,
	"key" text NOT NULL,
	"partition" integer NOT NULL,
	"version" bigint NOT NULL,
	"state" jsonb NOT NULL,
	"timer_at_ms" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "actor_snapshots_type_key_pk" PRIMARY KEY("type","key")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"partition" integer NOT NULL,
	"source_seq" bigint NOT NULL,
	"idx" integer NOT NULL,
	"subject" text NOT NULL,
	"msg_id" text NOT NULL,
	"payload" text NOT NULL,
	"headers" jsonb,
	CONSTRAINT "outbox_partition_source_seq_idx_pk" PRIMARY KEY("partition","source_seq","idx")
);
--> statement-breakpoint
CREATE TABLE "partition_checkpoints" (
	"partition" integer PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"fence" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "poison_messages" (
	"partition" integer NOT NULL,
	"seq" bigint NOT NULL,
	"subject" text NOT NULL,
	"reason" text NOT NULL,
	"payload" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "poison_messages_partition_seq_pk" PRIMARY KEY("partition","seq")
);
--> statement-breakpoint
CREATE INDEX "actor_snapshots_partition_timer" ON "actor_snapshots" USING btree ("partition","timer_at_ms");--> statement-breakpoint
CREATE INDEX "actor_snapshots_partition_key" ON "actor_snapshots" USING btree ("partition","key");
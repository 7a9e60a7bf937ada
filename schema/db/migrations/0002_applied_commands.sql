CREATE TABLE "applied_commands" (
	"partition" integer NOT NULL,
	"msg_id" text NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "applied_commands_partition_msg_id_pk" PRIMARY KEY("partition","msg_id")
);
--> statement-breakpoint
CREATE INDEX "applied_commands_partition_seq" ON "applied_commands" USING btree ("partition","seq");
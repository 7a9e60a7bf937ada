ALTER TABLE "poison_messages" ADD COLUMN "actor" text;--> statement-breakpoint
ALTER TABLE "poison_messages" ADD COLUMN "status" text DEFAULT 'parked' NOT NULL;

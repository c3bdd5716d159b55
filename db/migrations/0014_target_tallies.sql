CREATE TABLE "target_tallies" (
	"target_id" uuid NOT NULL,
	"dimension" text NOT NULL,
	"key" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"entries" integer NOT NULL,
	CONSTRAINT "target_tallies_pk" PRIMARY KEY("target_id","dimension","key"),
	CONSTRAINT "target_tallies_dimension_check" CHECK ("target_tallies"."dimension" in ('helped', 'helper', 'channel', 'category', 'buyer', 'product', 'day'))
);
--> statement-breakpoint
CREATE TABLE "target_tally_heads" (
	"target_id" uuid PRIMARY KEY NOT NULL,
	"through_seq" bigint DEFAULT 0 NOT NULL,
	"scope" text NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "target_tallies" ADD CONSTRAINT "target_tallies_target_id_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_tally_heads" ADD CONSTRAINT "target_tally_heads_target_id_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."targets"("id") ON DELETE cascade ON UPDATE no action;
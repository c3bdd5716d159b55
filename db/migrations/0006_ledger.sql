CREATE TABLE "aid_entries" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"day" date NOT NULL,
	"payment_id" uuid NOT NULL,
	"refund_id" uuid,
	"order_id" uuid NOT NULL,
	"order_line_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"seller_org_id" uuid NOT NULL,
	"origin_code" char(6) NOT NULL,
	"buyer_org_id" uuid,
	"buyer_region_code" char(6) NOT NULL,
	"buyer_channel" text NOT NULL,
	"certified" boolean NOT NULL,
	"aid_category" text NOT NULL,
	"product_category" text NOT NULL,
	"pairing_id" text,
	"quantity" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"proceeds_fen" bigint NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "aid_entries_hash_unique" UNIQUE("hash"),
	CONSTRAINT "aid_entries_seq_positive" CHECK ("aid_entries"."seq" > 0),
	CONSTRAINT "aid_entries_kind_check" CHECK ("aid_entries"."kind" in ('sale', 'reversal')),
	CONSTRAINT "aid_entries_category_check" CHECK ("aid_entries"."aid_category" in ('direct_purchase', 'sales_assist')),
	CONSTRAINT "aid_entries_sign_check" CHECK (("aid_entries"."kind" = 'sale' and "aid_entries"."amount_fen" >= 0 and "aid_entries"."proceeds_fen" between 0 and "aid_entries"."amount_fen" and "aid_entries"."refund_id" is null)
        or ("aid_entries"."kind" = 'reversal' and "aid_entries"."amount_fen" <= 0 and "aid_entries"."proceeds_fen" between "aid_entries"."amount_fen" and 0 and "aid_entries"."refund_id" is not null)),
	CONSTRAINT "aid_entries_hash_format" CHECK ("aid_entries"."hash" ~ '^[0-9a-f]{64}$' and "aid_entries"."prev_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "aid_rollups" (
	"day" date NOT NULL,
	"helped_code" char(6) NOT NULL,
	"helper_code" char(6) NOT NULL,
	"buyer_channel" text NOT NULL,
	"aid_category" text NOT NULL,
	"product_category" text NOT NULL,
	"certified" boolean NOT NULL,
	"amount_fen" bigint NOT NULL,
	"proceeds_fen" bigint NOT NULL,
	"entries" integer NOT NULL,
	CONSTRAINT "aid_rollups_pk" PRIMARY KEY("day","helped_code","helper_code","buyer_channel","aid_category","product_category","certified")
);
--> statement-breakpoint
CREATE TABLE "household_credits" (
	"entry_seq" bigint NOT NULL,
	"household_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	CONSTRAINT "household_credits_entry_seq_household_id_pk" PRIMARY KEY("entry_seq","household_id")
);
--> statement-breakpoint
CREATE TABLE "target_reach" (
	"target_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"first_seq" bigint NOT NULL,
	"members" smallint NOT NULL,
	CONSTRAINT "target_reach_target_id_household_id_pk" PRIMARY KEY("target_id","household_id")
);
--> statement-breakpoint
ALTER TABLE "aid_entries" ADD CONSTRAINT "aid_entries_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_entries" ADD CONSTRAINT "aid_entries_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "public"."refunds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_credits" ADD CONSTRAINT "household_credits_entry_seq_aid_entries_seq_fk" FOREIGN KEY ("entry_seq") REFERENCES "public"."aid_entries"("seq") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_credits" ADD CONSTRAINT "household_credits_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_reach" ADD CONSTRAINT "target_reach_target_id_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."targets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_reach" ADD CONSTRAINT "target_reach_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "aid_entries_sale_line_unique" ON "aid_entries" USING btree ("order_line_id") WHERE "aid_entries"."kind" = 'sale';--> statement-breakpoint
CREATE UNIQUE INDEX "aid_entries_reversal_unique" ON "aid_entries" USING btree ("refund_id","order_line_id") WHERE "aid_entries"."kind" = 'reversal';--> statement-breakpoint
CREATE INDEX "aid_entries_payment_id_idx" ON "aid_entries" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "aid_entries_day_idx" ON "aid_entries" USING btree ("day");--> statement-breakpoint
CREATE INDEX "household_credits_household_id_idx" ON "household_credits" USING btree ("household_id");--> statement-breakpoint
-- The ledger is append-only (docs/architecture.md §5). Hand-written: drizzle-kit does not model triggers. refuse_change() comes
-- from 0002_audit. Rollups and target_reach are maintained (updated) in the confirming transaction, so only the
-- entries and their credits are frozen; both are recomputable from the chain.
CREATE TRIGGER "aid_entries_no_update" BEFORE UPDATE ON "aid_entries"
	FOR EACH ROW EXECUTE FUNCTION "refuse_change"('aid_entries is append-only');
--> statement-breakpoint
CREATE TRIGGER "aid_entries_no_delete" BEFORE DELETE ON "aid_entries"
	FOR EACH ROW EXECUTE FUNCTION "refuse_change"('aid_entries is append-only');
--> statement-breakpoint
CREATE TRIGGER "aid_entries_no_truncate" BEFORE TRUNCATE ON "aid_entries"
	FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change"('aid_entries is append-only');
--> statement-breakpoint
CREATE TRIGGER "household_credits_no_update" BEFORE UPDATE ON "household_credits"
	FOR EACH ROW EXECUTE FUNCTION "refuse_change"('household_credits is append-only');
--> statement-breakpoint
CREATE TRIGGER "household_credits_no_delete" BEFORE DELETE ON "household_credits"
	FOR EACH ROW EXECUTE FUNCTION "refuse_change"('household_credits is append-only');
--> statement-breakpoint
CREATE TRIGGER "household_credits_no_truncate" BEFORE TRUNCATE ON "household_credits"
	FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change"('household_credits is append-only');

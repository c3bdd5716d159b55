CREATE TABLE "ledger_published_heads" (
	"day" date PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"head_at" timestamp with time zone,
	"published_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "targets" DROP CONSTRAINT "targets_kind_check";--> statement-breakpoint
ALTER TABLE "targets" ADD COLUMN "owner_org_id" uuid;--> statement-breakpoint
ALTER TABLE "targets" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "targets" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_owner_org_id_organizations_id_fk" FOREIGN KEY ("owner_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "targets_owner_org_id_idx" ON "targets" USING btree ("owner_org_id");--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_office_owner_check" CHECK (("targets"."kind" = 'office') = ("targets"."owner_org_id" is not null));--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_kind_check" CHECK ("targets"."kind" in ('demo', 'reference', 'office'));--> statement-breakpoint
-- hand-written below
-- A published head is history: once written for a day it is never changed (refuse_change() comes from 0002_audit).
CREATE TRIGGER "ledger_published_heads_no_update" BEFORE UPDATE OR DELETE ON "ledger_published_heads"
	FOR EACH ROW EXECUTE FUNCTION "refuse_change"('ledger_published_heads is append-only');

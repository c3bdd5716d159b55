ALTER TABLE "product_beneficiaries" DROP CONSTRAINT "product_beneficiaries_product_id_household_id_pk";--> statement-breakpoint
ALTER TABLE "product_beneficiaries" ADD COLUMN "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
-- Hand-edited: links that exist already have no recorded start. They are taken to hold since before the product's
-- first counted sale (or since now, for a product never sold), so that every credit already written stays inside
-- a link of its product.
ALTER TABLE "product_beneficiaries" ADD COLUMN "linked_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "product_beneficiaries" b SET "linked_at" = least(b."linked_at", (
	SELECT min(e."occurred_at") FROM "aid_entries" e WHERE e."product_id" = b."product_id"));--> statement-breakpoint
ALTER TABLE "product_beneficiaries" ALTER COLUMN "linked_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "product_beneficiaries" ADD COLUMN "unlinked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "aid_entries" ADD COLUMN "payload_version" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "invitee" text;--> statement-breakpoint
CREATE UNIQUE INDEX "product_beneficiaries_current_unique" ON "product_beneficiaries" USING btree ("product_id","household_id") WHERE "product_beneficiaries"."unlinked_at" is null;--> statement-breakpoint
CREATE INDEX "product_beneficiaries_product_id_idx" ON "product_beneficiaries" USING btree ("product_id");--> statement-breakpoint
ALTER TABLE "product_beneficiaries" ADD CONSTRAINT "product_beneficiaries_period_check" CHECK ("product_beneficiaries"."unlinked_at" is null or "product_beneficiaries"."unlinked_at" > "product_beneficiaries"."linked_at");--> statement-breakpoint
ALTER TABLE "aid_entries" ADD CONSTRAINT "aid_entries_payload_version_check" CHECK ("aid_entries"."payload_version" in (1, 2));
CREATE TABLE "product_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"card_file" text NOT NULL,
	"page_file" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "product_photos_position_check" CHECK ("product_photos"."position" between 1 and 8)
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"change" integer NOT NULL,
	"stock_after" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"actor_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stock_movements_kind_check" CHECK ("stock_movements"."kind" in ('restock', 'stocktake', 'loss')),
	CONSTRAINT "stock_movements_stock_after_check" CHECK ("stock_movements"."stock_after" >= 0)
);
--> statement-breakpoint
CREATE TABLE "files" (
	"key" text PRIMARY KEY NOT NULL,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "files_key_format" CHECK ("files"."key" ~ '^[0-9a-f]{64}\.(webp|jpg|png|pdf)$'),
	CONSTRAINT "files_bytes_positive" CHECK ("files"."bytes" > 0)
);
--> statement-breakpoint
CREATE TABLE "aid_product_rollups" (
	"day" date NOT NULL,
	"product_id" uuid NOT NULL,
	"seller_org_id" uuid NOT NULL,
	"buyer_channel" text NOT NULL,
	"certified" boolean NOT NULL,
	"quantity" bigint NOT NULL,
	"amount_fen" bigint NOT NULL,
	"proceeds_fen" bigint NOT NULL,
	"entries" integer NOT NULL,
	CONSTRAINT "aid_product_rollups_pk" PRIMARY KEY("day","product_id","buyer_channel","certified")
);
--> statement-breakpoint
ALTER TABLE "bases" ADD COLUMN "description" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "bases" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "certifications" ADD COLUMN "evidence_file" text;--> statement-breakpoint
ALTER TABLE "certifications" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "approved_price_fen" bigint;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "reviewed_by" uuid;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "rejection_reason" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "seller_recommended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "seller_recommended_by" uuid;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "seller_recommending_org" uuid;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "seller_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "seller_verified_by" uuid;--> statement-breakpoint
ALTER TABLE "product_photos" ADD CONSTRAINT "product_photos_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_photos" ADD CONSTRAINT "product_photos_card_file_files_key_fk" FOREIGN KEY ("card_file") REFERENCES "public"."files"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_photos" ADD CONSTRAINT "product_photos_page_file_files_key_fk" FOREIGN KEY ("page_file") REFERENCES "public"."files"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_photos" ADD CONSTRAINT "product_photos_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "product_photos_product_idx" ON "product_photos" USING btree ("product_id","position");--> statement-breakpoint
CREATE INDEX "stock_movements_product_idx" ON "stock_movements" USING btree ("product_id","created_at");--> statement-breakpoint
CREATE INDEX "aid_product_rollups_seller_idx" ON "aid_product_rollups" USING btree ("seller_org_id","day");--> statement-breakpoint
ALTER TABLE "certifications" ADD CONSTRAINT "certifications_evidence_file_files_key_fk" FOREIGN KEY ("evidence_file") REFERENCES "public"."files"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certifications" ADD CONSTRAINT "certifications_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_seller_recommended_by_users_id_fk" FOREIGN KEY ("seller_recommended_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_seller_verified_by_users_id_fk" FOREIGN KEY ("seller_verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "products_status_idx" ON "products" USING btree ("status");--> statement-breakpoint
-- Hand-written from here. The product rollups start from the entries already in the ledger, so that every total read
-- from them equals the entries' sums from the first day.
INSERT INTO "aid_product_rollups" ("day", "product_id", "seller_org_id", "buyer_channel", "certified", "quantity",
	"amount_fen", "proceeds_fen", "entries")
SELECT "day", "product_id", min("seller_org_id"::text)::uuid, "buyer_channel", "certified",
	sum(CASE WHEN "kind" = 'sale' THEN "quantity" ELSE 0 END), sum("amount_fen"), sum("proceeds_fen"), count(*)
FROM "aid_entries" GROUP BY "day", "product_id", "buyer_channel", "certified";--> statement-breakpoint
-- Listings already for sale were approved at their current price.
UPDATE "products" SET "approved_price_fen" = "price_fen" WHERE "status" = 'active';--> statement-breakpoint
-- Organisations already selling were admitted before admission was recorded: recommended and verified when they were
-- verified.
UPDATE "organizations" o SET "seller_recommended_at" = o."verified_at", "seller_verified_at" = o."verified_at"
WHERE o."kind" IN ('cooperative', 'enterprise') AND o."verified_at" IS NOT NULL
	AND EXISTS (SELECT 1 FROM "products" p WHERE p."org_id" = o."id");

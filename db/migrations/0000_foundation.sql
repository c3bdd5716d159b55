CREATE TABLE "bases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"region_code" char(6) NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"number" text NOT NULL,
	"body" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"relief_mode" text NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certifications_period_check" CHECK ("certifications"."valid_until" >= "certifications"."valid_from"),
	CONSTRAINT "certifications_relief_mode_check" CHECK ("certifications"."relief_mode" in ('工资性', '资产性', '经营性'))
);
--> statement-breakpoint
CREATE TABLE "price_tiers" (
	"product_id" uuid NOT NULL,
	"min_qty" integer NOT NULL,
	"unit_price_fen" bigint NOT NULL,
	CONSTRAINT "price_tiers_product_id_min_qty_pk" PRIMARY KEY("product_id","min_qty"),
	CONSTRAINT "price_tiers_min_qty_check" CHECK ("price_tiers"."min_qty" >= 2),
	CONSTRAINT "price_tiers_price_positive" CHECK ("price_tiers"."unit_price_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"base_id" uuid,
	"sku" text NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"alias" text,
	"description" text DEFAULT '' NOT NULL,
	"category" text NOT NULL,
	"origin_code" char(6) NOT NULL,
	"unit" text NOT NULL,
	"price_fen" bigint NOT NULL,
	"stock" integer DEFAULT 0 NOT NULL,
	"min_order_qty" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"gi_status" text DEFAULT 'none_found' NOT NULL,
	"gi_detail" text,
	"other_recognition" text,
	"source_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_sku_unique" UNIQUE("sku"),
	CONSTRAINT "products_slug_unique" UNIQUE("slug"),
	CONSTRAINT "products_price_positive" CHECK ("products"."price_fen" > 0),
	CONSTRAINT "products_stock_non_negative" CHECK ("products"."stock" >= 0),
	CONSTRAINT "products_min_order_qty_positive" CHECK ("products"."min_order_qty" >= 1),
	CONSTRAINT "products_status_check" CHECK ("products"."status" in ('draft', 'pending', 'active', 'rejected', 'archived')),
	CONSTRAINT "products_gi_status_check" CHECK ("products"."gi_status" in ('confirmed', 'reported', 'in_process', 'none_found', 'not_applicable'))
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"code" text NOT NULL,
	"region_code" char(6) NOT NULL,
	"masked_name" text NOT NULL,
	"id_hmac" text,
	"id_cipher" text,
	"members" smallint NOT NULL,
	"status" text NOT NULL,
	"linkage" text NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "households_code_unique" UNIQUE("code"),
	CONSTRAINT "households_members_check" CHECK ("households"."members" between 1 and 20),
	CONSTRAINT "households_status_check" CHECK ("households"."status" in ('脱贫户', '防止返贫监测对象', '低收入农户')),
	CONSTRAINT "households_linkage_check" CHECK ("households"."linkage" in ('订单收购', '务工就业', '入股分红', '土地流转', '其他'))
);
--> statement-breakpoint
CREATE TABLE "proceeds_rules" (
	"product_id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"basis_points" integer,
	"fen_per_unit" bigint,
	CONSTRAINT "proceeds_rules_shape_check" CHECK (("proceeds_rules"."kind" = 'basis_points' and "proceeds_rules"."basis_points" between 0 and 10000 and "proceeds_rules"."fen_per_unit" is null)
       or ("proceeds_rules"."kind" = 'fen_per_unit' and "proceeds_rules"."fen_per_unit" >= 0 and "proceeds_rules"."basis_points" is null))
);
--> statement-breakpoint
CREATE TABLE "product_beneficiaries" (
	"product_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"weight" integer NOT NULL,
	CONSTRAINT "product_beneficiaries_product_id_household_id_pk" PRIMARY KEY("product_id","household_id"),
	CONSTRAINT "product_beneficiaries_weight_positive" CHECK ("product_beneficiaries"."weight" > 0)
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"uscc" char(18),
	"region_code" char(6) NOT NULL,
	"contact_name" text,
	"contact_phone" text,
	"verified_at" timestamp with time zone,
	"rejected_reason" text,
	"jurisdiction" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_uscc_unique" UNIQUE("uscc"),
	CONSTRAINT "organizations_kind_check" CHECK ("organizations"."kind" in ('cooperative', 'enterprise', 'gov_unit', 'trade_union', 'office', 'platform'))
);
--> statement-breakpoint
CREATE TABLE "pairings" (
	"id" text PRIMARY KEY NOT NULL,
	"helper_code" char(6),
	"helper_name" text NOT NULL,
	"helped_code" char(6) NOT NULL,
	"programme" text NOT NULL,
	"relation_text" text NOT NULL,
	"since_text" text,
	"confidence" text NOT NULL,
	"facts" text[] DEFAULT '{}'::text[] NOT NULL,
	"notes" text,
	"source_ids" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" char(6) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" char(6),
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "regions_level_check" CHECK ("regions"."level" in ('province', 'city', 'county')),
	CONSTRAINT "regions_code_check" CHECK ("regions"."code" ~ '^[1-9][0-9]{5}$')
);
--> statement-breakpoint
CREATE TABLE "targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"parent_id" uuid,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"metric" text NOT NULL,
	"goal" bigint NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"helped_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"helper_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"buyer_channels" text[] DEFAULT '{}'::text[] NOT NULL,
	"certified_only" boolean DEFAULT false NOT NULL,
	"source_text" text,
	"source_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"documented_outcomes" text[] DEFAULT '{}'::text[] NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "targets_key_unique" UNIQUE("key"),
	CONSTRAINT "targets_kind_check" CHECK ("targets"."kind" in ('demo', 'reference')),
	CONSTRAINT "targets_metric_check" CHECK ("targets"."metric" in ('amount_fen', 'people')),
	CONSTRAINT "targets_goal_positive" CHECK ("targets"."goal" > 0),
	CONSTRAINT "targets_period_check" CHECK ("targets"."period_end" >= "targets"."period_start")
);
--> statement-breakpoint
ALTER TABLE "bases" ADD CONSTRAINT "bases_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bases" ADD CONSTRAINT "bases_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certifications" ADD CONSTRAINT "certifications_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_tiers" ADD CONSTRAINT "price_tiers_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_base_id_bases_id_fk" FOREIGN KEY ("base_id") REFERENCES "public"."bases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_origin_code_regions_code_fk" FOREIGN KEY ("origin_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proceeds_rules" ADD CONSTRAINT "proceeds_rules_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_beneficiaries" ADD CONSTRAINT "product_beneficiaries_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_beneficiaries" ADD CONSTRAINT "product_beneficiaries_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_helper_code_regions_code_fk" FOREIGN KEY ("helper_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_helped_code_regions_code_fk" FOREIGN KEY ("helped_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regions" ADD CONSTRAINT "regions_parent_code_regions_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_parent_id_targets_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."targets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bases_org_id_idx" ON "bases" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "certifications_product_id_idx" ON "certifications" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "products_org_id_idx" ON "products" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "products_origin_code_idx" ON "products" USING btree ("origin_code");--> statement-breakpoint
CREATE INDEX "products_category_idx" ON "products" USING btree ("category");--> statement-breakpoint
CREATE INDEX "households_org_id_idx" ON "households" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "households_id_hmac_unique" ON "households" USING btree ("id_hmac") WHERE "households"."id_hmac" is not null;--> statement-breakpoint
CREATE INDEX "product_beneficiaries_household_id_idx" ON "product_beneficiaries" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "organizations_region_code_idx" ON "organizations" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "pairings_helped_code_idx" ON "pairings" USING btree ("helped_code");--> statement-breakpoint
CREATE INDEX "pairings_helper_code_idx" ON "pairings" USING btree ("helper_code");--> statement-breakpoint
CREATE INDEX "regions_parent_code_idx" ON "regions" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "targets_parent_id_idx" ON "targets" USING btree ("parent_id");
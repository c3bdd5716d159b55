CREATE SEQUENCE "public"."requisition_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "external_purchases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text DEFAULT 'unit' NOT NULL,
	"purchased_on" date NOT NULL,
	"channel" text NOT NULL,
	"description" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"evidence_file" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "external_purchases_kind_check" CHECK ("external_purchases"."kind" in ('unit', 'staff')),
	CONSTRAINT "external_purchases_amount_check" CHECK ("external_purchases"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"message_key" text NOT NULL,
	"values" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"link" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "procurement_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"base_fen" bigint NOT NULL,
	"reserved_share_bp" integer DEFAULT 1000 NOT NULL,
	"no_canteen" boolean DEFAULT false NOT NULL,
	"representative_org_id" uuid,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "procurement_plans_org_year_unique" UNIQUE("org_id","year"),
	CONSTRAINT "procurement_plans_base_check" CHECK ("procurement_plans"."base_fen" >= 0),
	CONSTRAINT "procurement_plans_share_check" CHECK ("procurement_plans"."reserved_share_bp" between 1000 and 10000),
	CONSTRAINT "procurement_plans_year_check" CHECK ("procurement_plans"."year" between 2000 and 2100)
);
--> statement-breakpoint
CREATE TABLE "requisition_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"requisition_id" uuid NOT NULL,
	"action" text NOT NULL,
	"actor_user_id" uuid,
	"comment" text DEFAULT '' NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "requisition_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"requisition_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"qty" integer NOT NULL,
	"unit_price_fen" bigint NOT NULL,
	"amount_fen" bigint NOT NULL,
	CONSTRAINT "requisition_lines_product_unique" UNIQUE("requisition_id","product_id"),
	CONSTRAINT "requisition_lines_qty_check" CHECK ("requisition_lines"."qty" > 0),
	CONSTRAINT "requisition_lines_amount_check" CHECK ("requisition_lines"."amount_fen" = "requisition_lines"."qty" * "requisition_lines"."unit_price_fen")
);
--> statement-breakpoint
CREATE TABLE "requisitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"org_id" uuid NOT NULL,
	"requester_user_id" uuid NOT NULL,
	"status" text NOT NULL,
	"total_fen" bigint NOT NULL,
	"limit_fen" bigint NOT NULL,
	"delivery" jsonb NOT NULL,
	"po_number" text,
	"invoice" jsonb NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"order_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"decision_comment" text,
	CONSTRAINT "requisitions_number_unique" UNIQUE("number"),
	CONSTRAINT "requisitions_status_check" CHECK ("requisitions"."status" in ('pending_approval', 'approved', 'rejected', 'ordered', 'cancelled')),
	CONSTRAINT "requisitions_total_check" CHECK ("requisitions"."total_fen" > 0),
	CONSTRAINT "requisitions_number_format" CHECK ("requisitions"."number" ~ '^QG[0-9]{8}-[0-9]{6}$'),
	CONSTRAINT "requisitions_no_self_decision" CHECK ("requisitions"."decided_by" is null or "requisitions"."decided_by" <> "requisitions"."requester_user_id")
);
--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "spending_limit_fen" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "external_purchases" ADD CONSTRAINT "external_purchases_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_purchases" ADD CONSTRAINT "external_purchases_evidence_file_files_key_fk" FOREIGN KEY ("evidence_file") REFERENCES "public"."files"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_purchases" ADD CONSTRAINT "external_purchases_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procurement_plans" ADD CONSTRAINT "procurement_plans_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procurement_plans" ADD CONSTRAINT "procurement_plans_representative_org_id_organizations_id_fk" FOREIGN KEY ("representative_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procurement_plans" ADD CONSTRAINT "procurement_plans_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requisition_events" ADD CONSTRAINT "requisition_events_requisition_id_requisitions_id_fk" FOREIGN KEY ("requisition_id") REFERENCES "public"."requisitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requisition_events" ADD CONSTRAINT "requisition_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requisition_lines" ADD CONSTRAINT "requisition_lines_requisition_id_requisitions_id_fk" FOREIGN KEY ("requisition_id") REFERENCES "public"."requisitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requisition_lines" ADD CONSTRAINT "requisition_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requisitions" ADD CONSTRAINT "requisitions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requisitions" ADD CONSTRAINT "requisitions_requester_user_id_users_id_fk" FOREIGN KEY ("requester_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requisitions" ADD CONSTRAINT "requisitions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requisitions" ADD CONSTRAINT "requisitions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "external_purchases_org_idx" ON "external_purchases" USING btree ("org_id","purchased_on");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "requisition_events_requisition_idx" ON "requisition_events" USING btree ("requisition_id","occurred_at");--> statement-breakpoint
CREATE INDEX "requisitions_org_status_idx" ON "requisitions" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "requisitions_requester_idx" ON "requisitions" USING btree ("requester_user_id");
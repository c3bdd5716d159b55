CREATE TABLE "acceptance_lines" (
	"order_line_id" uuid PRIMARY KEY NOT NULL,
	"acceptance_id" uuid NOT NULL,
	"accepted_qty" integer NOT NULL,
	"rejected_qty" integer NOT NULL,
	"accepted_amount_fen" bigint NOT NULL,
	"accepted_proceeds_fen" bigint NOT NULL,
	CONSTRAINT "acceptance_lines_qty_check" CHECK ("acceptance_lines"."accepted_qty" >= 0 and "acceptance_lines"."rejected_qty" >= 0),
	CONSTRAINT "acceptance_lines_amount_check" CHECK ("acceptance_lines"."accepted_amount_fen" >= 0 and "acceptance_lines"."accepted_proceeds_fen" between 0 and "acceptance_lines"."accepted_amount_fen")
);
--> statement-breakpoint
CREATE TABLE "acceptances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seller_order_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"accepted_by" uuid NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	"notes" text,
	"accepted_fen" bigint NOT NULL,
	"rejected_fen" bigint NOT NULL,
	"photo_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "acceptances_seller_order_id_unique" UNIQUE("seller_order_id"),
	CONSTRAINT "acceptances_amounts_check" CHECK ("acceptances"."accepted_fen" >= 0 and "acceptances"."rejected_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"acceptance_id" uuid NOT NULL,
	"seller_order_id" uuid NOT NULL,
	"seller_org_id" uuid NOT NULL,
	"status" text NOT NULL,
	"rejected_fen" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"answered_by" uuid,
	"answered_at" timestamp with time zone,
	"answer_note" text,
	CONSTRAINT "disputes_acceptance_id_unique" UNIQUE("acceptance_id"),
	CONSTRAINT "disputes_status_check" CHECK ("disputes"."status" in ('open', 'returned', 'contested'))
);
--> statement-breakpoint
CREATE TABLE "unit_payment_terms" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"days" smallint NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "unit_payment_terms_days_check" CHECK ("unit_payment_terms"."days" between 1 and 60)
);
--> statement-breakpoint
ALTER TABLE "acceptance_lines" ADD CONSTRAINT "acceptance_lines_order_line_id_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptance_lines" ADD CONSTRAINT "acceptance_lines_acceptance_id_acceptances_id_fk" FOREIGN KEY ("acceptance_id") REFERENCES "public"."acceptances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptances" ADD CONSTRAINT "acceptances_seller_order_id_seller_orders_id_fk" FOREIGN KEY ("seller_order_id") REFERENCES "public"."seller_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptances" ADD CONSTRAINT "acceptances_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acceptances" ADD CONSTRAINT "acceptances_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_acceptance_id_acceptances_id_fk" FOREIGN KEY ("acceptance_id") REFERENCES "public"."acceptances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_seller_order_id_seller_orders_id_fk" FOREIGN KEY ("seller_order_id") REFERENCES "public"."seller_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_seller_org_id_organizations_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_payment_terms" ADD CONSTRAINT "unit_payment_terms_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_payment_terms" ADD CONSTRAINT "unit_payment_terms_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "acceptance_lines_acceptance_id_idx" ON "acceptance_lines" USING btree ("acceptance_id");--> statement-breakpoint
CREATE INDEX "acceptances_order_id_idx" ON "acceptances" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "disputes_seller_org_status_idx" ON "disputes" USING btree ("seller_org_id","status");
CREATE TABLE "audit_events" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_user_id" uuid,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_events_hash_unique" UNIQUE("hash"),
	CONSTRAINT "audit_events_seq_positive" CHECK ("audit_events"."seq" > 0),
	CONSTRAINT "audit_events_hash_format" CHECK ("audit_events"."hash" ~ '^[0-9a-f]{64}$' and "audit_events"."prev_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "chain_heads" (
	"chain" text PRIMARY KEY NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"hash" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Append-only audit log (docs/architecture.md §4 and §5: the hash chain, §7: security). Hand-written below this line: drizzle-kit does not model
-- triggers. The owner can still switch triggers off (session_replication_role = replica); the hash chain and the
-- published head catch what that lets through.
CREATE FUNCTION "refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_update" BEFORE UPDATE ON "audit_events"
	FOR EACH ROW EXECUTE FUNCTION "refuse_change"('audit_events is append-only');
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_delete" BEFORE DELETE ON "audit_events"
	FOR EACH ROW EXECUTE FUNCTION "refuse_change"('audit_events is append-only');
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
	FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change"('audit_events is append-only');
--> statement-breakpoint
CREATE TRIGGER "chain_heads_no_delete" BEFORE DELETE ON "chain_heads"
	FOR EACH ROW EXECUTE FUNCTION "refuse_change"('chain_heads rows cannot be deleted');
--> statement-breakpoint
CREATE TRIGGER "chain_heads_no_truncate" BEFORE TRUNCATE ON "chain_heads"
	FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change"('chain_heads rows cannot be deleted');

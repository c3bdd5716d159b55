CREATE TABLE "aid_buyer_rollups" (
	"day" date NOT NULL,
	"buyer_org_id" uuid NOT NULL,
	"helped_code" char(6) NOT NULL,
	"buyer_channel" text NOT NULL,
	"certified" boolean NOT NULL,
	"amount_fen" bigint NOT NULL,
	"proceeds_fen" bigint NOT NULL,
	"entries" integer NOT NULL,
	CONSTRAINT "aid_buyer_rollups_pk" PRIMARY KEY("buyer_org_id","day","helped_code","buyer_channel","certified")
);
--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "payment_due_at" DROP NOT NULL;--> statement-breakpoint
-- Hand-written: the buyer rollups start from the entries already in the ledger.
INSERT INTO "aid_buyer_rollups" ("day", "buyer_org_id", "helped_code", "buyer_channel", "certified", "amount_fen",
	"proceeds_fen", "entries")
SELECT "day", "buyer_org_id", "origin_code", "buyer_channel", "certified", sum("amount_fen"), sum("proceeds_fen"), count(*)
FROM "aid_entries" WHERE "buyer_org_id" IS NOT NULL GROUP BY "day", "buyer_org_id", "origin_code", "buyer_channel", "certified";

-- The worker claims the oldest message (by Meta's time) that heads its
-- customer's queue. Without an index in that order every claim read the
-- whole queue and sorted it, so a burst of N messages cost N² row reads to
-- drain (52 answers a second with 8,000 waiting). In this order the claim
-- stops at the first row that qualifies. Meta's times mostly grow, so new
-- rows land at the index's end.
CREATE INDEX inbound_queue_due ON inbound_queue (sent_at, id);

-- Who runs the refresh schedule in a cluster: the holder of an unexpired lease, renewed by heartbeat. epoch
-- grows with every change of holder; it is the fencing token a scheduled refresh checks in the transaction
-- that applies its result, so a leader that stalled past its lease and resumed applies nothing. Expiry is
-- compared with the database's clock only, so the instances' own clocks may disagree.
CREATE TABLE sb_lease (
    name       VARCHAR(63)              PRIMARY KEY,
    holder     VARCHAR(200),
    epoch      BIGINT                   NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE
);
INSERT INTO sb_lease (name, holder, epoch, expires_at) VALUES ('schedule', NULL, 0, NULL);

-- One row per run of the migrator.
CREATE TABLE run (
    run_id           VARCHAR(64) PRIMARY KEY,
    mode             VARCHAR(16)  NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at      TIMESTAMP WITH TIME ZONE,
    mapping_checksum VARCHAR(128),
    status           VARCHAR(16)  NOT NULL
);

-- Every dropped file by content, so an identical re-drop is recognised.
CREATE TABLE source_file (
    sha256      VARCHAR(64) PRIMARY KEY,
    name        VARCHAR(1024) NOT NULL,
    run_id      VARCHAR(64)   NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Source record -> Intercom object. status: IN_FLIGHT (a write was started), DELIVERED, SKIPPED, DEAD.
CREATE TABLE record (
    system       VARCHAR(16)  NOT NULL,
    object_type  VARCHAR(32)  NOT NULL,
    source_id    VARCHAR(512) NOT NULL,
    content_hash VARCHAR(64),
    intercom_id  VARCHAR(64),
    status       VARCHAR(16)  NOT NULL,
    run_id       VARCHAR(64)  NOT NULL,
    detail       VARCHAR(4000),
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (system, object_type, source_id)
);
CREATE INDEX record_intercom_id ON record (intercom_id);

-- Intercom identities already known: contact by normalised email, tag by lower-case name, attribute by name, ...
CREATE TABLE identity (
    kind        VARCHAR(32)  NOT NULL,
    natural_key VARCHAR(512) NOT NULL,
    intercom_id VARCHAR(64)  NOT NULL,
    PRIMARY KEY (kind, natural_key)
);

-- Write journal: a row before every Intercom write (INTENT), completed after it (DONE / FAILED).
-- Rollback reads it newest first; before_image holds the object as it was before an update.
CREATE TABLE journal (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id        VARCHAR(64)  NOT NULL,
    system        VARCHAR(16),
    object_type   VARCHAR(32),
    source_id     VARCHAR(512),
    action        VARCHAR(32)  NOT NULL,
    target        VARCHAR(512) NOT NULL,
    intercom_id   VARCHAR(64),
    before_image  CLOB,
    state         VARCHAR(16)  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at  TIMESTAMP WITH TIME ZONE
);
CREATE INDEX journal_run ON journal (run_id, id);

-- Small facts a later drop needs (e.g. LeadDesk custom field definitions, campaign names).
CREATE TABLE catalog (
    system      VARCHAR(16)  NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    natural_key VARCHAR(512) NOT NULL,
    item_value  CLOB         NOT NULL,
    PRIMARY KEY (system, kind, natural_key)
);

-- The time span (first to last message, Unix seconds) of every ClickDesk conversation the migrator delivered, by its
-- contact: where a VoIP call's note goes (mapping.md, VoIP call placement). Widened when a later drop adds parts.
CREATE TABLE conversation_span (
    thread_id   VARCHAR(64) PRIMARY KEY,
    contact_id  VARCHAR(64) NOT NULL,
    first_at    BIGINT      NOT NULL,
    last_at     BIGINT      NOT NULL,
    run_id      VARCHAR(64) NOT NULL
);
CREATE INDEX conversation_span_contact ON conversation_span (contact_id);

-- Which fields of an Intercom contact the migrator wrote, and from what: 'record' (the contact's own record:
-- visitors.csv, contacts.csv, leads.csv) or 'thread' (filled from a chat, ticket, social thread, chatbot session, ...).
-- A thread fills only fields with no row; the contact's own record overwrites what a thread wrote (mapping.md).
-- field: a top-level contact field (name, phone, external_id, ...) or custom_attributes.<name>.
CREATE TABLE contact_field (
    contact_id  VARCHAR(64)  NOT NULL,
    field       VARCHAR(300) NOT NULL,
    owner       VARCHAR(8)   NOT NULL,
    run_id      VARCHAR(64)  NOT NULL,
    PRIMARY KEY (contact_id, field)
);

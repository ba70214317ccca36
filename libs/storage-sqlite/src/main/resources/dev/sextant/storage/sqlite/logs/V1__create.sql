-- Resource attribute maps, once per distinct map; the same table as in spans.db (see there).
CREATE TABLE resources (
  tenant     TEXT    NOT NULL,
  id         INTEGER NOT NULL,
  attributes TEXT    NOT NULL,
  last_seen  INTEGER NOT NULL,
  PRIMARY KEY (tenant, id)
) WITHOUT ROWID;

-- Log records. body holds the JSON of a structured (non-string) body and is NULL for a string
-- body; body_text is always the body as text (LogRecord.bodyText()), for substring search.
-- trace_id and span_id are binary as in spans.db, NULL when the record is not linked to a span.
CREATE TABLE logs (
  tenant                   TEXT    NOT NULL,
  time                     INTEGER NOT NULL,
  observed_time            INTEGER NOT NULL,
  severity_number          INTEGER NOT NULL,
  severity_text            TEXT    NOT NULL,
  body                     TEXT,
  body_text                TEXT    NOT NULL,
  service_name             TEXT    NOT NULL,
  scope_name               TEXT    NOT NULL,
  trace_id                 BLOB,
  span_id                  INTEGER,
  resource_id              INTEGER NOT NULL,
  attributes               TEXT    NOT NULL,
  dropped_attributes_count INTEGER NOT NULL
);
CREATE INDEX logs_by_time ON logs (tenant, time);
CREATE INDEX logs_by_service ON logs (tenant, service_name, time);
-- Most records carry no trace: a partial index stays small.
CREATE INDEX logs_by_trace ON logs (tenant, trace_id) WHERE trace_id IS NOT NULL;

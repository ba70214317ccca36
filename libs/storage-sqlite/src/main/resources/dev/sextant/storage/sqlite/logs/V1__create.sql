-- Log records. body holds the JSON of a structured (non-string) body and is NULL for a string
-- body; body_text is always the body as text (LogRecord.bodyText()), for substring search.
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
  trace_id                 TEXT    NOT NULL,
  span_id                  TEXT    NOT NULL,
  resource_attributes      TEXT    NOT NULL,
  attributes               TEXT    NOT NULL,
  dropped_attributes_count INTEGER NOT NULL
);
CREATE INDEX logs_by_time ON logs (tenant, time);
CREATE INDEX logs_by_service ON logs (tenant, service_name, time);
-- Most records carry no trace: a partial index stays small.
CREATE INDEX logs_by_trace ON logs (tenant, trace_id) WHERE trace_id <> '';

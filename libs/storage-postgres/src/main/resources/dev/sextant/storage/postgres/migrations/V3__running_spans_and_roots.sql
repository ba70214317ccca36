-- Version 3: the running-span rule and the root lists (Mastra's trace lists, ADR 0010).
-- A span written at its start carries sextant.span.running = true; the flag is a column so the
-- upsert can refuse to let such a record replace an ended one. Roots (spans without a parent) are
-- listed newest or oldest first by (start, trace, span) through a partial index.

ALTER TABLE spans ADD COLUMN running boolean NOT NULL DEFAULT false;
UPDATE spans SET running = true WHERE attributes -> 'sextant.span.running' = 'true'::jsonb;
CREATE INDEX spans_roots ON spans (tenant, start_time, trace_id, span_id)
  WHERE parent_span_id IS NULL;

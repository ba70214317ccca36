package dev.sextant.ingest.otlp;

/** Why a record is invalid: the reason, and a short detail for the response message. */
record Problem(RejectReason reason, String detail) {}

package dev.ajr.server.http;

/** An answer to send as JSON (a 204 has no body). */
record Reply(int status, Object body) {}

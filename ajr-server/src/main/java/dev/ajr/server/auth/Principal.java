package dev.ajr.server.auth;

/** An authenticated caller. */
public record Principal(String username, Role role) {}

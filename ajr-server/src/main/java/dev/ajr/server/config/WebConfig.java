package dev.ajr.server.config;

import java.time.Duration;

/**
 * Browser logins: how long a session lasts, and the login rate limit.
 *
 * @param sessionLifetime the longest a session lasts
 * @param sessionIdle a session ends after this long without requests
 * @param failuresPerUser failed logins for one user name within {@code loginWindow} before waiting
 * @param failuresPerAddress failed logins from one client address within {@code loginWindow}
 * @param loginWindow the window failures are counted in
 */
public record WebConfig(
    Duration sessionLifetime,
    Duration sessionIdle,
    int failuresPerUser,
    int failuresPerAddress,
    Duration loginWindow) {}

package dev.ajr.server.config;

import java.time.Duration;

/**
 * Browser logins: how long a session lasts, and the failed-login throttle.
 *
 * @param sessionLifetime the longest a session lasts
 * @param sessionIdle a session ends after this long without requests
 * @param failuresPerUser failed logins of one user name from one address before tries wait
 * @param failuresPerAddress failed logins of any names from one address before tries wait
 * @param loginWindow failures are forgotten this long after the last one
 * @param loginMaxDelay the longest wait
 */
public record WebConfig(
    Duration sessionLifetime,
    Duration sessionIdle,
    int failuresPerUser,
    int failuresPerAddress,
    Duration loginWindow,
    Duration loginMaxDelay) {}

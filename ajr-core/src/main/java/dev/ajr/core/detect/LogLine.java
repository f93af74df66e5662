package dev.ajr.core.detect;

import java.time.Instant;

/**
 * One line of job output, as read. Job output is untrusted: it was written by the user's program.
 *
 * @param text the line without its line terminator, decoded as UTF-8 with malformed bytes replaced;
 *     a line longer than the follower's limit is cut and {@code truncated} is set
 * @param source where it was read, for example a file path
 * @param lineNumber 1-based position of the line in its source
 * @param writtenAt when the line was written, as far as ajr can tell (the source's modification
 *     time when the line was read), or null when unknown
 * @param readAt when ajr read it
 */
public record LogLine(
    String text,
    String source,
    long lineNumber,
    Instant writtenAt,
    Instant readAt,
    boolean truncated) {}

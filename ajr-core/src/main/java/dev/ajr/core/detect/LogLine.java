package dev.ajr.core.detect;

import java.time.Instant;

/**
 * One line of a log, as read: of job output (untrusted: written by the user's program) or of a
 * node's kernel log (trusted), as {@code evidence} says.
 *
 * @param text the line without its line terminator, decoded as UTF-8 with malformed bytes replaced;
 *     a line longer than the follower's limit is cut and {@code truncated} is set
 * @param source where it was read, for example a file path
 * @param lineNumber 1-based position of the line in its source
 * @param writtenAt when the line was written, as far as ajr can tell (the source's modification
 *     time when the line was read), or null when unknown
 * @param readAt when ajr read it
 * @param evidence what kind of log the line is from, and so how far it can be trusted
 */
public record LogLine(
    String text,
    String source,
    long lineNumber,
    Instant writtenAt,
    Instant readAt,
    boolean truncated,
    Evidence evidence) {}

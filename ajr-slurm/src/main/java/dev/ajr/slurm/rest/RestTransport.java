package dev.ajr.slurm.rest;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Sends one HTTP request to slurmrestd and returns its answer, whatever its status: the seam
 * between the REST adapter and the network, as {@link dev.ajr.slurm.CommandRunner} is for the
 * command-line tools (the server times every request through it).
 */
@FunctionalInterface
public interface RestTransport {

  /**
   * @throws java.net.http.HttpTimeoutException when slurmrestd did not answer in time
   * @throws java.net.ConnectException when slurmrestd cannot be reached
   * @throws AnswerTooLarge when the answer is longer than the transport reads
   * @throws IOException when the request failed otherwise
   */
  Answer send(Request request) throws IOException, InterruptedException;

  /**
   * One request.
   *
   * @param name what the request does, for the meters: {@code rest:jobs}, {@code rest:job}
   * @param method {@code GET}
   * @param headers sent as they are; they hold the token, so they are never logged
   */
  record Request(String name, String method, URI uri, Map<String, String> headers) {
    public Request {
      headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
      return method + " " + uri; // never the headers
    }
  }

  /** An answer: its HTTP status and its body (empty for none). */
  record Answer(int status, byte[] body) {}

  /** The answer was longer than the transport reads; it was not read to its end. */
  final class AnswerTooLarge extends IOException {
    public AnswerTooLarge(String message) {
      super(message);
    }
  }
}

package dev.ajr.slurm.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link RestTransport} over the JDK's {@link HttpClient}: one timeout for connecting and for the
 * whole answer, body included, and at most {@code maxAnswerBytes} of an answer read (the reading
 * stops there). Redirects are not followed: the token is sent to the configured address only.
 * Thread-safe.
 */
public final class HttpRestTransport implements RestTransport {

  /**
   * The longest answer read by default. slurmrestd 22.05 prints about 3.5 KB of indented JSON per
   * job, so 512 MiB hold a listing of about 150,000 jobs, more than slurmctld's default {@code
   * MaxJobCount} of 10,000 allows by far; a longer answer is a failure rather than a heap
   * exhausted.
   */
  public static final long MAX_ANSWER_BYTES = 512L * 1024 * 1024;

  private final HttpClient http;
  private final Duration timeout;
  private final long maxAnswerBytes;

  /** Waits at most {@code timeout} for an answer and reads at most {@link #MAX_ANSWER_BYTES}. */
  public HttpRestTransport(Duration timeout) {
    this(timeout, MAX_ANSWER_BYTES);
  }

  public HttpRestTransport(Duration timeout, long maxAnswerBytes) {
    this.timeout = timeout;
    this.maxAnswerBytes = maxAnswerBytes;
    this.http =
        HttpClient.newBuilder()
            // slurmrestd 22.05 speaks HTTP/1.1 only and drops a request asking to upgrade to h2c,
            // which the JDK's client asks by default.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public Answer send(Request request) throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(request.uri())
            .timeout(timeout)
            .header("Accept", "application/json")
            .method(request.method(), HttpRequest.BodyPublishers.noBody());
    request.headers().forEach(builder::header);
    // The request's timeout ends with the answer's headers; the wait below bounds the body too.
    CompletableFuture<HttpResponse<byte[]>> answer =
        http.sendAsync(builder.build(), info -> new Limited(maxAnswerBytes));
    try {
      HttpResponse<byte[]> response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Answer(response.statusCode(), response.body());
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new HttpTimeoutException("no whole answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      answer.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw ioFailure(e.getCause());
    }
  }

  /** The failure as the {@link RestTransport} contract names it: the cause a caller can tell. */
  private static IOException ioFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof HttpTimeoutException
          || t instanceof AnswerTooLarge) {
        return (IOException) t;
      }
    }
    if (failure instanceof IOException io) {
      return io;
    }
    return new IOException(String.valueOf(failure), failure);
  }

  /** Collects the body up to {@code max} bytes; beyond, stops reading and fails. */
  private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {

    private final long max;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;
    private long total;

    Limited(long max) {
      this.max = max;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        total += item.remaining();
        if (total > max) {
          subscription.cancel();
          body.completeExceptionally(
              new AnswerTooLarge("the answer is longer than " + max + " bytes"));
          return;
        }
        byte[] bytes = new byte[item.remaining()];
        item.get(bytes);
        buffer.writeBytes(bytes);
      }
    }

    @Override
    public void onError(Throwable error) {
      body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      body.complete(buffer.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }
  }
}

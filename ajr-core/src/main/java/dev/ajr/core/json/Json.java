package dev.ajr.core.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The project's one JSON mapper, for everything ajr reads and writes as JSON: the API, events, the
 * store's JSON columns, agents' batches and state, notifications, the command line's output,
 * Slurm's {@code squeue --json} and the job's APS directive.
 *
 * <p>Contract: times ({@code Instant}, {@code Duration}) are written as ISO-8601 text; a field a
 * type does not know is refused (an API body with a misspelt field is a 400, not silently half
 * read). Documents written by another program's newer version are read with {@link #lenient}.
 * Thread-safe. {@link #MAPPER} is shared and must never be reconfigured: a variant is a reader or
 * writer derived from it ({@link #lenient}, {@link #pretty}), which leaves the mapper as it is.
 */
public final class Json {

  /** The shared mapper; derive readers and writers, never configure it. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private Json() {}

  /** Reads {@code type} ignoring fields it does not know (another program's newer documents). */
  public static ObjectReader lenient(Class<?> type) {
    return MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** Writes indented JSON, for people. */
  public static ObjectWriter pretty() {
    return MAPPER.writerWithDefaultPrettyPrinter();
  }
}

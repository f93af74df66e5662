package dev.ajr.server.config;

/**
 * Where ajr keeps its state: empty {@code url} means the embedded SQLite file in the data
 * directory. The password never appears in {@link #toString}.
 */
public record DatabaseConfig(
    String url, String user, String password, int poolSize, boolean migrate) {

  public boolean embedded() {
    return url.isEmpty();
  }

  @Override
  public String toString() {
    return "DatabaseConfig[url="
        + url.replaceAll("//[^@/]*@", "//***@").replaceAll("(?i)(password=)[^&;]*", "$1***")
        + ", user="
        + user
        + ", poolSize="
        + poolSize
        + ", migrate="
        + migrate
        + "]";
  }
}

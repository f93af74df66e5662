/**
 * Reading job logs from Grafana Loki, the two ways a cluster may ship them.
 *
 * <ul>
 *   <li>Pushed: {@link dev.ajr.server.ingest.loki.LokiPushDecoder} reads the body of {@code POST
 *       /loki/api/v1/push} as Promtail, Grafana Alloy, Fluent Bit and Vector send it (Snappy
 *       protobuf or JSON), so ajr can stand in for Loki or beside it.
 *   <li>Pulled: {@link dev.ajr.server.ingest.loki.LokiSource} follows an existing Loki with range
 *       queries, as NVIDIA's reference Watcher does, with a persistable {@link
 *       dev.ajr.server.ingest.loki.LokiCursor} so that nothing is repeated or lost across restarts
 *       and outages.
 * </ul>
 *
 * <p>Both give {@link dev.ajr.server.ingest.loki.LokiStream}s of {@link
 * dev.ajr.server.ingest.loki.LokiEntry}s; a body that cannot be read is a {@link
 * dev.ajr.server.ingest.loki.LokiFormatException} whose message is fit for a 400 answer or a log.
 */
package dev.ajr.server.ingest.loki;

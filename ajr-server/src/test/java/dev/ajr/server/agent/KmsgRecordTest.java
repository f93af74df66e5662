package dev.ajr.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KmsgRecordTest {

  private static Optional<KmsgRecord> parse(String record) {
    byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
    return KmsgRecord.parse(bytes, bytes.length);
  }

  @Test
  void aKernelRecordWithItsDictionary() {
    KmsgRecord r =
        parse(
                "3,1234,5880394121,-;NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, name=python, GPU has"
                    + " fallen off the bus.\n SUBSYSTEM=pci\n DEVICE=+pci:0000:3b:00.0\n")
            .orElseThrow();
    assertThat(r.fromKernel()).isTrue();
    assertThat(r.level()).isEqualTo(3);
    assertThat(r.sequence()).isEqualTo(1234);
    assertThat(r.microsSinceBoot()).isEqualTo(5880394121L);
    assertThat(r.text())
        .isEqualTo(
            "NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, name=python, GPU has fallen off the bus.");
  }

  @Test
  void aProgramWritingToKmsgIsNotTheKernel() {
    // facility 1 (user) << 3 | level 6: what `echo "Xid 79" > /dev/kmsg` produces
    KmsgRecord r = parse("14,77,100,-;NVRM: Xid (PCI:0000:3b:00): 79, fake\n").orElseThrow();
    assertThat(r.fromKernel()).isFalse();
  }

  @Test
  void escapedBytesAreDecoded() {
    assertThat(parse("6,1,1,-;tab\\x09here \\xe2\\x9c\\x93\n").orElseThrow().text())
        .isEqualTo("tab\there \u2713");
    assertThat(parse("6,1,1,-;not an escape \\x9\n").orElseThrow().text())
        .isEqualTo("not an escape \\x9");
  }

  @Test
  void somethingElseIsNotARecord() {
    assertThat(parse("garbage without a header\n")).isEmpty();
    assertThat(parse("a,b,c;text\n")).isEmpty();
    assertThat(parse("6,1;too short\n")).isEmpty();
  }

  @Test
  void readsThisMachinesKernelLog() throws Exception {
    Path kmsg = Path.of("/dev/kmsg");
    assertThat(Files.isReadable(kmsg))
        .as("the tests run as root on Linux, where /dev/kmsg is readable")
        .isTrue();
    try (KmsgReader reader = new KmsgReader(kmsg, "", -1, 10_000, Clock.systemUTC())) {
      List<KmsgReader.Entry> entries = new ArrayList<>();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
      while (entries.isEmpty() && Instant.now().isBefore(deadline)) {
        reader.drainTo(entries, 10_000);
        Thread.onSpinWait();
      }
      assertThat(entries).as("the boot messages of this kernel").isNotEmpty();
      KmsgReader.Entry first = entries.get(0);
      assertThat(first.writtenAt()).isBefore(Instant.now().plusSeconds(1));
      long last = entries.get(entries.size() - 1).sequence();
      // Resuming after the last record read hands out nothing already seen.
      try (KmsgReader again =
          new KmsgReader(kmsg, reader.bootIdOfThisBoot(), last, 10_000, Clock.systemUTC())) {
        List<KmsgReader.Entry> more = new ArrayList<>();
        again.drainTo(more, 10_000);
        assertThat(more).allMatch(e -> e.sequence() > last);
      }
    }
  }
}

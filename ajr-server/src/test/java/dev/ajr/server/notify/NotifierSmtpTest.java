package dev.ajr.server.notify;

import static dev.ajr.server.notify.NotifyFixtures.T0;
import static dev.ajr.server.notify.NotifyFixtures.failed;
import static dev.ajr.server.notify.NotifyFixtures.held;
import static dev.ajr.server.notify.NotifyFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.ajr.core.detect.Cause;
import dev.ajr.core.notify.Digest;
import dev.ajr.core.notify.NoticeFilter;
import dev.ajr.core.notify.NoticeKind;
import dev.ajr.core.notify.NotificationPlanner;
import dev.ajr.core.notify.RateLimit;
import dev.ajr.core.notify.Route;
import dev.ajr.core.testing.MutableClock;
import dev.ajr.server.config.NotificationsConfig;
import dev.ajr.server.store.Database;
import dev.ajr.server.store.SqlRecoveryStore;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * E-mail against a real SMTP server: GreenMail, started by the test on a free port of 127.0.0.1,
 * speaking SMTP (with AUTH) over TCP to Jakarta Mail.
 */
class NotifierSmtpTest {

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(T0);
  private GreenMail mail;
  private Database db;
  private SqlRecoveryStore store;
  private Notifier notifier;

  @BeforeEach
  void setUp() {
    mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    mail.setUser("ajr@example.org", "ajr", "s3cret-pw");
    db = Database.openSqlite(dataDir);
    store = new SqlRecoveryStore(db, clock);
    for (long id = 1; id <= 200; id++) {
      store.saveJob(job(id, id <= 150 ? "alice" : "bob", "gpu"));
    }
  }

  @AfterEach
  void tearDown() {
    if (notifier != null) {
      notifier.close();
    }
    db.close();
    mail.stop();
  }

  private NotificationsConfig.Smtp smtp(String user, String password, NotificationsConfig.Tls tls) {
    return new NotificationsConfig.Smtp(
        "127.0.0.1",
        mail.getSmtp().getPort(),
        tls,
        user,
        password,
        "ajr@example.org",
        Duration.ofSeconds(5));
  }

  @Test
  void twoHundredFailuresAreOneMailToOnCallAndOneToEachOwner() throws Exception {
    NotificationsConfig.Smtp smtp = smtp("ajr", "s3cret-pw", NotificationsConfig.Tls.OPTIONAL);
    RateLimit limit = new RateLimit(20, Duration.ofHours(1));
    Route oncall = new Route("oncall", NoticeFilter.ALL, true, null, Duration.ofSeconds(60), limit);
    Route owners =
        new Route(
            "owners",
            new NoticeFilter(Set.of(NoticeKind.ANOMALY), Set.of(), Set.of()),
            false,
            "{user}@example.org",
            Duration.ofSeconds(60),
            limit);
    notifier =
        new Notifier(
            new NotificationPlanner(List.of(oncall, owners)),
            Map.of(
                "oncall", new SmtpSender(smtp, List.of("oncall@example.org")),
                "owners", new SmtpSender(smtp, List.of())),
            store,
            clock,
            1000,
            1,
            Duration.ofMillis(10));
    notifier.start(List.of());
    for (long id = 1; id <= 200; id++) {
      notifier.publish(
          failed(id, id <= 180 ? Cause.NCCL_ERROR : Cause.CUDA_ERROR, "gpu-" + (id % 37)));
    }
    notifier.publish(held("gpu-1", 1));
    Receiver.await("all events looked at", () -> notifier.processed() == 201);
    assertThat(mail.getReceivedMessages()).isEmpty();

    clock.advance(Duration.ofSeconds(60));
    Receiver.await("three mails", () -> mail.getReceivedMessages().length == 3);

    Map<String, MimeMessage> byRecipient =
        Arrays.stream(mail.getReceivedMessages())
            .collect(Collectors.toMap(NotifierSmtpTest::to, m -> m));
    assertThat(byRecipient)
        .containsOnlyKeys("oncall@example.org", "alice@example.org", "bob@example.org");

    MimeMessage all = byRecipient.get("oncall@example.org");
    assertThat(all.getSubject())
        .isEqualTo(
            "[ajr] 200 jobs failed on 37 nodes: 180 NCCL_ERROR, 20 CUDA_ERROR; nodes held: gpu-1");
    assertThat(all.getFrom()[0].toString()).isEqualTo("ajr@example.org");
    String body = GreenMailUtil.getBody(all);
    assertThat(body).contains("job 1 (train-1, user alice, partition gpu): NCCL_ERROR on gpu-1");
    assertThat(body).contains("... and 181 more");

    assertThat(byRecipient.get("alice@example.org").getSubject())
        .isEqualTo("[ajr] 150 jobs failed on 37 nodes: 150 NCCL_ERROR");
    assertThat(byRecipient.get("bob@example.org").getSubject())
        .isEqualTo("[ajr] 50 jobs failed on 37 nodes: 30 NCCL_ERROR, 20 CUDA_ERROR");
    assertThat(GreenMailUtil.getBody(byRecipient.get("bob@example.org"))).doesNotContain("alice");
  }

  @Test
  void aWrongPasswordFailsWithoutShowingIt() {
    SmtpSender sender =
        new SmtpSender(
            smtp("ajr", "not-the-password", NotificationsConfig.Tls.OFF),
            List.of("oncall@example.org"));

    assertThatThrownBy(() -> sender.send(oneNotice()))
        .hasMessageContaining("mail server 127.0.0.1:")
        .hasMessageNotContaining("not-the-password");
    assertThat(mail.getReceivedMessages()).isEmpty();
  }

  @Test
  void requiredStartTlsIsNeverSkipped() {
    // GreenMail offers no STARTTLS: with it required nothing may be sent in the clear
    SmtpSender sender =
        new SmtpSender(
            smtp("ajr", "s3cret-pw", NotificationsConfig.Tls.REQUIRED),
            List.of("oncall@example.org"));

    assertThatThrownBy(() -> sender.send(oneNotice())).hasMessageContaining("STARTTLS");
    assertThat(mail.getReceivedMessages()).isEmpty();
  }

  @Test
  void withoutAuthAMailIsSentToo() throws Exception {
    new SmtpSender(
            smtp("", "", NotificationsConfig.Tls.OFF), List.of("a@example.org", "b@example.org"))
        .send(oneNotice());

    assertThat(mail.getReceivedMessages()).hasSize(2); // one copy per recipient's mailbox
    assertThat(mail.getReceivedMessages()[0].getSubject()).isEqualTo("[ajr] job 1: NCCL_ERROR");
  }

  private static Digest oneNotice() {
    NotificationPlanner p =
        new NotificationPlanner(
            List.of(
                new Route(
                    "x",
                    NoticeFilter.ALL,
                    true,
                    null,
                    Duration.ZERO,
                    new RateLimit(1, Duration.ofHours(1)))));
    p.offer(
        new dev.ajr.core.notify.Notice(
            NoticeKind.ANOMALY, T0, 1, "t", "u", "gpu", "NCCL_ERROR", "n1", "job 1: NCCL_ERROR"));
    return p.due(T0).get(0);
  }

  private static String to(MimeMessage m) {
    try {
      Address[] to = m.getAllRecipients();
      return to[0].toString();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}

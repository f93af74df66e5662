package dev.ajr.server.notify;

import dev.ajr.core.notify.Digest;
import dev.ajr.core.notify.DigestText;
import dev.ajr.core.notify.Route;
import dev.ajr.server.config.NotificationsConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * E-mail over SMTP (Jakarta Mail): one plain-text mail per digest, the summary as subject, to the
 * destination's fixed addresses or to the owner the digest is for. STARTTLS off, optional or
 * required; AUTH when a user is set. The password is only handed to the transport.
 */
public final class SmtpSender implements NotificationSender {

  private final NotificationsConfig.Smtp smtp;
  private final List<String> to;
  private final Session session;

  public SmtpSender(NotificationsConfig.Smtp smtp, List<String> to) {
    this.smtp = smtp;
    this.to = List.copyOf(to);
    Properties p = new Properties();
    p.put("mail.smtp.host", smtp.host());
    p.put("mail.smtp.port", Integer.toString(smtp.port()));
    String ms = Long.toString(smtp.timeout().toMillis());
    p.put("mail.smtp.connectiontimeout", ms);
    p.put("mail.smtp.timeout", ms);
    p.put("mail.smtp.writetimeout", ms);
    if (smtp.tls() != NotificationsConfig.Tls.OFF) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.ssl.checkserveridentity", "true");
    }
    if (smtp.tls() == NotificationsConfig.Tls.REQUIRED) {
      p.put("mail.smtp.starttls.required", "true");
    }
    if (!smtp.user().isEmpty()) {
      p.put("mail.smtp.auth", "true");
    }
    this.session = Session.getInstance(p);
  }

  @Override
  public void send(Digest digest) throws IOException {
    List<String> recipients =
        digest.recipient().equals(Route.FIXED) ? to : List.of(digest.recipient());
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(smtp.from()));
      InternetAddress[] addresses = new InternetAddress[recipients.size()];
      for (int i = 0; i < addresses.length; i++) {
        addresses[i] = new InternetAddress(recipients.get(i));
      }
      m.setRecipients(Message.RecipientType.TO, addresses);
      m.setSubject(DigestText.subject(digest), "UTF-8");
      m.setText(DigestText.body(digest), "UTF-8");
      m.setSentDate(new Date());
      m.setHeader("Auto-Submitted", "auto-generated");
      if (smtp.user().isEmpty()) {
        Transport.send(m);
      } else {
        Transport.send(m, smtp.user(), smtp.password());
      }
    } catch (MessagingException e) {
      throw new IOException(
          "mail server " + smtp.host() + ":" + smtp.port() + ": " + describe(e), e);
    }
  }

  private static String describe(MessagingException e) {
    StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null) {
      s.append(" (").append(cause.getMessage()).append(')');
    }
    return s.toString().replace('\n', ' ').strip();
  }
}

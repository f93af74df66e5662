package dev.ajr.server.auth;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.util.ssl.SSLUtil;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.net.SocketFactory;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users of an LDAP directory (OpenLDAP as on BCM clusters, or any other): binds as the service
 * account, finds the user's entry with the user filter, then binds as that entry with the given
 * password. The role comes from group membership: a member of {@code auth.ldap.admin-group} is an
 * admin, else of {@code auth.ldap.operator-group} an operator, else a viewer.
 *
 * <p>Contract: empty for an unknown user, a wrong or empty password, or a name that matches no
 * entry or more than one; {@link Directory.Unavailable} when the directory cannot be asked
 * (unreachable, TLS failure, the service account refused). The user name is escaped before it goes
 * into the filter, so it cannot change the filter. ldaps:// servers must present a certificate
 * issued by the configured CA (or the JDK's trust store) that names the host. Connections are
 * pooled; the pool is opened at the first login, so the server starts when the directory is down.
 * Thread-safe; no password is ever logged or put in a message.
 */
public final class LdapDirectory implements Directory, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LdapDirectory.class);
  private static final int MAX_CONNECTIONS = 8;
  private static final int MAX_USERNAME_LENGTH = 256;

  private final LdapSettings settings;
  private final FailoverServerSet servers;
  private LDAPConnectionPool pool; // guarded by this

  public LdapDirectory(LdapSettings settings) {
    this.settings = settings;
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    int millis = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
    options.setConnectTimeoutMillis(millis);
    options.setResponseTimeoutMillis(millis);
    options.setBindWithDNRequiresPassword(true);
    SocketFactory sockets;
    if (settings.secure()) {
      options.setSSLSocketVerifier(new CertificateHostVerifier());
      try {
        sockets = new SSLUtil(LdapTrust.trustManager(settings.caCert())).createSSLSocketFactory();
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot set up TLS for LDAP: " + e.getMessage(), e);
      }
    } else {
      sockets = SocketFactory.getDefault();
    }
    List<String> hosts = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    for (LDAPURL url : settings.uris()) {
      hosts.add(url.getHost());
      ports.add(url.getPort());
    }
    this.servers =
        new FailoverServerSet(
            hosts.toArray(String[]::new),
            ports.stream().mapToInt(Integer::intValue).toArray(),
            sockets,
            options);
  }

  @Override
  public Optional<Principal> login(String username, String password) {
    if (username == null
        || username.isEmpty()
        || username.length() > MAX_USERNAME_LENGTH
        || password == null
        || password.isEmpty()) {
      return Optional.empty(); // an empty password would be an anonymous bind, which "succeeds"
    }
    LDAPConnectionPool connections = pool();
    Optional<SearchResultEntry> entry = findUser(connections, username);
    if (entry.isEmpty() || !passwordMatches(connections, entry.get().getDN(), password)) {
      return Optional.empty();
    }
    String name = canonicalName(entry.get(), username);
    Role role = role(membership(connections, entry.get(), name));
    return Optional.of(new Principal(name, role));
  }

  /**
   * The role for a user's memberships: admin before operator before viewer. A group that is not
   * configured has no members.
   */
  Role role(Predicate<String> isMemberOfGroup) {
    if (!settings.adminGroup().isEmpty() && isMemberOfGroup.test(settings.adminGroup())) {
      return Role.ADMIN;
    }
    if (!settings.operatorGroup().isEmpty() && isMemberOfGroup.test(settings.operatorGroup())) {
      return Role.OPERATOR;
    }
    return Role.VIEWER;
  }

  @Override
  public synchronized void close() {
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }

  /** The pool, opened (and bound as the service account) on first use. */
  private synchronized LDAPConnectionPool pool() {
    if (pool == null) {
      SimpleBindRequest bind =
          settings.bindDn().isEmpty()
              ? null
              : new SimpleBindRequest(settings.bindDn(), settings.bindPassword());
      try {
        LDAPConnectionPool opened = new LDAPConnectionPool(servers, bind, 1, MAX_CONNECTIONS);
        opened.setConnectionPoolName("ajr-ldap");
        opened.setRetryFailedOperationsDueToInvalidConnections(true);
        opened.setMaxWaitTimeMillis(settings.timeout().toMillis());
        pool = opened;
        log.info("LDAP: connected to {} as {}", settings.servers(), serviceAccount());
      } catch (LDAPException e) {
        throw unavailable(e);
      }
    }
    return pool;
  }

  /** The single entry the filter finds for the name, or empty for none or several. */
  private Optional<SearchResultEntry> findUser(LDAPConnectionPool connections, String username) {
    Filter filter;
    try {
      filter = Filter.create(settings.userFilter().replace("{0}", Filter.encodeValue(username)));
    } catch (LDAPException e) {
      return Optional.empty();
    }
    SearchRequest search =
        new SearchRequest(settings.searchBase(), SearchScope.SUB, filter, "uid", "memberOf");
    search.setSizeLimit(2);
    search.setTimeLimitSeconds(timeLimitSeconds());
    try {
      SearchResult result = connections.search(search);
      if (result.getEntryCount() > 1) {
        log.warn(
            "LDAP: the user filter finds more than one entry for a user name; refusing the login");
        return Optional.empty();
      }
      return result.getSearchEntries().stream().findFirst();
    } catch (LDAPSearchException e) {
      if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
        log.warn(
            "LDAP: the user filter finds more than one entry for a user name; refusing the login");
        return Optional.empty();
      }
      if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
        throw new Directory.Unavailable(
            "the LDAP search base auth.ldap.search-base "
                + settings.searchBase()
                + " does not exist on "
                + settings.servers()
                + " (or the service account may not read it)",
            e);
      }
      throw unavailable(e);
    }
  }

  /** Binds as the user's entry and reverts the connection to the service account. */
  private boolean passwordMatches(LDAPConnectionPool connections, String dn, String password) {
    try {
      return connections.bindAndRevertAuthentication(dn, password).getResultCode()
          == ResultCode.SUCCESS;
    } catch (LDAPException e) {
      if (isOutage(e.getResultCode())) {
        throw unavailable(e);
      }
      return false; // invalid credentials, a locked or disabled account, ...
    }
  }

  /** Whether the user is a member of a group, by the group's entry or the user's memberOf. */
  private Predicate<String> membership(
      LDAPConnectionPool connections, SearchResultEntry user, String uid) {
    List<DN> memberOf = new ArrayList<>();
    String[] values = user.getAttributeValues("memberOf");
    if (values != null) {
      for (String value : values) {
        try {
          memberOf.add(new DN(value));
        } catch (LDAPException e) {
          // not a DN: cannot name a group
        }
      }
    }
    return groupDn -> {
      try {
        if (memberOf.contains(new DN(groupDn))) {
          return true;
        }
      } catch (LDAPException e) {
        return false;
      }
      Filter members =
          Filter.createORFilter(
              Filter.createEqualityFilter("member", user.getDN()),
              Filter.createEqualityFilter("uniqueMember", user.getDN()),
              Filter.createEqualityFilter("memberUid", uid));
      SearchRequest search = new SearchRequest(groupDn, SearchScope.BASE, members, "1.1");
      search.setTimeLimitSeconds(timeLimitSeconds());
      try {
        return connections.search(search).getEntryCount() > 0;
      } catch (LDAPSearchException e) {
        if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
          log.warn("LDAP: the group {} does not exist; nobody is a member", groupDn);
          return false;
        }
        throw unavailable(e);
      }
    };
  }

  /**
   * The user's name as the directory spells it (its uid, when that is the name given up to case),
   * so "Alice" and "alice" are one ajr user.
   */
  private static String canonicalName(SearchResultEntry entry, String username) {
    String[] uids = entry.getAttributeValues("uid");
    if (uids != null) {
      for (String uid : uids) {
        if (uid.equalsIgnoreCase(username)) {
          return uid;
        }
      }
    }
    return username;
  }

  private int timeLimitSeconds() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, settings.timeout().toSeconds()));
  }

  private String serviceAccount() {
    return settings.bindDn().isEmpty() ? "anonymous" : settings.bindDn();
  }

  /** Result codes that mean the directory did not really answer, rather than said no. */
  private static boolean isOutage(ResultCode code) {
    return code.isClientSideResultCode()
        || code == ResultCode.BUSY
        || code == ResultCode.UNAVAILABLE
        || code == ResultCode.OTHER;
  }

  private Directory.Unavailable unavailable(LDAPException e) {
    String where = settings.servers();
    String message;
    if (hasCause(e, SSLException.class) || hasCause(e, CertificateException.class)) {
      message =
          "the TLS handshake with "
              + where
              + " failed: the server's certificate is not trusted by "
              + (settings.caCert() == null
                  ? "the JDK's trust store (set auth.ldap.ca-cert)"
                  : "auth.ldap.ca-cert " + settings.caCert())
              + " or does not name the host ("
              + detail(e)
              + ")";
    } else if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS
        || e.getResultCode() == ResultCode.INAPPROPRIATE_AUTHENTICATION) {
      message =
          "the LDAP service account auth.ldap.bind-dn "
              + serviceAccount()
              + " was refused by "
              + where
              + ": "
              + e.getResultCode().getName()
              + " (check auth.ldap.bind-password-file)";
    } else if (e.getResultCode() == ResultCode.CONNECT_ERROR
        || e.getResultCode() == ResultCode.SERVER_DOWN) {
      message = "cannot reach the LDAP server " + where + ": " + detail(e);
    } else if (e.getResultCode() == ResultCode.TIMEOUT) {
      message =
          "the LDAP server "
              + where
              + " did not answer within "
              + settings.timeout().toMillis()
              + " ms";
    } else {
      message = "the LDAP server " + where + " could not be asked: " + detail(e);
    }
    log.warn("LDAP: {}", message);
    return new Directory.Unavailable(message, e);
  }

  /**
   * What went wrong, briefly: the innermost cause that is not the SDK's own wrapper (a refused
   * connection, a certificate problem), else the SDK's message.
   */
  private static String detail(LDAPException e) {
    Throwable innermost = null;
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (!(c instanceof LDAPException) && c.getMessage() != null) {
        innermost = c;
      }
    }
    return innermost == null
        ? e.getResultCode().getName() + ": " + e.getMessage()
        : innermost.getClass().getSimpleName() + ": " + innermost.getMessage();
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> kind) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (kind.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}

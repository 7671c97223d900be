package dev.syncline.connectors.reach;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host and port, and for PostgreSQL optionally a database: {@code host:port} or {@code host:port/database}, an IPv6
 * address in brackets ({@code [::1]:5432}). How the platform's addresses and an admin's allowances are written.
 */
public record NetworkTarget(String host, int port, String database) {
    /** A DNS name (labels of letters, digits, '-' and '_'), an IPv4 address, or an IPv6 address (brackets optional). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");

    public NetworkTarget {
        host = bare(host);
        if (!validHost(host)) {
            throw new IllegalArgumentException("'" + host + "' is not a host name or an IP address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
        database = database == null || database.isEmpty() ? null : database;
    }

    /** Parses {@code host:port} or {@code host:port/database}. */
    public static NetworkTarget parse(String text) {
        String s = text.trim();
        String database = null;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            database = s.substring(slash + 1);
            s = s.substring(0, slash);
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || (s.startsWith("[") && colon < s.indexOf(']'))) {
            throw new IllegalArgumentException("'" + text + "' is not host:port (an IPv6 address in brackets)");
        }
        try {
            return new NetworkTarget(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)), database);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no port number after the last ':'");
        }
    }

    /** Whether {@code host} is a host name or an IP address, and nothing more (no port, path, parameter or list). */
    public static boolean validHost(String host) {
        if (host == null || host.isEmpty() || host.length() > 253) {
            return false;
        }
        String h = bare(host);
        return NAME.matcher(h).matches() || (h.chars().filter(ch -> ch == ':').count() >= 2 && IPV6.matcher(h).matches());
    }

    /** The host without the brackets an IPv6 address has in a URL. */
    static String bare(String host) {
        return host != null && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The database names of PostgreSQL compare exactly; case-insensitively here, so no spelling slips through. */
    boolean sameDatabase(String other) {
        return database != null && other != null && database.toLowerCase(Locale.ROOT).equals(other.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return h + ":" + port + (database == null ? "" : "/" + database);
    }
}

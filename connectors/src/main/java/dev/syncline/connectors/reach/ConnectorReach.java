package dev.syncline.connectors.reach;

import dev.syncline.connectors.spi.ConnectorException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where connectors may not go: Syncline's own machinery. A connector's config is user input, so every connector that
 * opens a network address or a file asks this guard first, when the config is saved (for the user's sake) and again
 * each time it connects (for safety: names are resolved then, and a config saved before a rule existed is caught).
 *
 * <ul>
 *   <li>An address is refused when it is one of the platform's (PostgreSQL, Kafka's broker and controller, the
 *       registry, each service and the console): same port, and the host resolves to the same address, or both are
 *       this machine (loopback, the wildcard address, any address of a local interface, the machine's name).</li>
 *   <li>On the platform's PostgreSQL, the platform's databases are refused (each service's, the registry's, and the
 *       server's own {@code postgres}, {@code template0}, {@code template1}); another database there (the demo
 *       {@code warehouse}) is a destination like any other.</li>
 *   <li>An admin allows a target explicitly: {@code host:port} lifts the address rule, {@code host:port/database}
 *       the database rule for that one database.</li>
 *   <li>Files only under the roots an admin configured, after links and {@code ..} are resolved.</li>
 * </ul>
 * Plain Java, immutable and thread-safe; built once per service from its configuration.
 */
public final class ConnectorReach {
    /** Databases every PostgreSQL server has: the platform's server's are Syncline's too. */
    private static final Set<String> SERVER_DATABASES = Set.of("postgres", "template0", "template1");
    static final String ALLOW_SETTING = "syncline.connectors.allowed-targets";
    static final String ROOTS_SETTING = "syncline.connectors.files.roots";

    private final NetworkTarget postgres;
    private final Set<String> databases;
    private final List<NetworkTarget> targets;
    private final List<NetworkTarget> allowed;
    private final List<Path> roots;

    private ConnectorReach(Builder b) {
        this.postgres = b.postgres;
        this.databases = b.databases.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.targets = List.copyOf(b.targets);
        this.allowed = List.copyOf(b.allowed);
        this.roots = List.copyOf(b.roots);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where a PostgreSQL connector connects for {@code host:port/database}: the address that was checked (connect to
     * it, not to the name again, so a second DNS answer cannot lead elsewhere).
     *
     * @throws ReachRefused           the address or the database is Syncline's own
     * @throws ConnectorException     the host name does not resolve (transient: it may tomorrow)
     */
    public InetAddress postgres(String host, int port, String database) throws ConnectorException {
        if (database == null || database.isEmpty() || database.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new ReachRefused(ReachRefused.Part.DATABASE, "'" + database + "' is not a database name");
        }
        InetAddress[] addresses = resolve(host, port);
        if (postgres != null && same(host, addresses, port, postgres)) {
            String db = database.toLowerCase(Locale.ROOT);
            if ((databases.contains(db) || SERVER_DATABASES.contains(db)) && !allows(host, addresses, port, database)) {
                throw new ReachRefused(ReachRefused.Part.DATABASE, "database " + database + " on " + hostPort(host, port)
                        + " belongs to Syncline itself (its own PostgreSQL): a connector may not use it. Use a database "
                        + "of your own; an admin can allow one explicitly with " + ALLOW_SETTING + "=" + hostPort(host, port)
                        + "/" + database);
            }
            return addresses[0];
        }
        refuseOwnAddress(host, port, addresses);
        return addresses[0];
    }

    /**
     * Where a connector connects for {@code host:port} (any protocol): the address that was checked.
     *
     * @throws ReachRefused       the address is one of Syncline's own
     * @throws ConnectorException the host name does not resolve
     */
    public InetAddress address(String host, int port) throws ConnectorException {
        InetAddress[] addresses = resolve(host, port);
        if (postgres != null && same(host, addresses, port, postgres) && !allows(host, addresses, port, null)) {
            throw ownAddress(host, port);
        }
        refuseOwnAddress(host, port, addresses);
        return addresses[0];
    }

    /**
     * The file (or folder) {@code path} designates, links and {@code ..} resolved, when it lies under a root; a path
     * that does not exist yet is resolved as far as it exists. Use the returned path, not the given one.
     */
    public Path file(Path path) throws ReachRefused {
        if (!path.isAbsolute()) {
            throw new ReachRefused(ReachRefused.Part.PATH, path + " is not an absolute path");
        }
        if (roots.isEmpty()) {
            throw new ReachRefused(ReachRefused.Part.PATH, "no folder is open to connectors on this Syncline: an admin "
                    + "names them with " + ROOTS_SETTING);
        }
        Path normal = path.normalize();
        Path resolved = resolved(normal);
        for (Path root : roots) {
            Path real = real(root);
            if (real != null && resolved.startsWith(real)) {
                return resolved;
            }
        }
        for (Path root : roots) {
            if (real(root) == null && normal.startsWith(root)) {
                throw new ReachRefused(ReachRefused.Part.PATH, "the folder " + root + " open to connectors does not exist "
                        + "yet: an admin creates it (" + ROOTS_SETTING + ")");
            }
        }
        throw new ReachRefused(ReachRefused.Part.PATH, path + " is outside the folders connectors may read and write ("
                + roots.stream().map(Path::toString).collect(Collectors.joining(", ")) + "): put the file there, or an "
                + "admin adds a folder to " + ROOTS_SETTING);
    }

    /** The folders connectors may read and write. */
    public List<Path> filesRoots() {
        return roots;
    }

    private void refuseOwnAddress(String host, int port, InetAddress[] addresses) throws ReachRefused {
        for (NetworkTarget t : targets) {
            if (same(host, addresses, port, t) && !allows(host, addresses, port, null)) {
                throw ownAddress(host, port);
            }
        }
    }

    private static ReachRefused ownAddress(String host, int port) {
        return new ReachRefused(ReachRefused.Part.ADDRESS, hostPort(host, port) + " is an address of Syncline itself (its "
                + "PostgreSQL, Kafka, schema registry, services or console): a connector may not reach it. An admin can "
                + "allow a target explicitly with " + ALLOW_SETTING + "=" + hostPort(host, port));
    }

    /** {@code host:port}, an IPv6 address in brackets, as an allowance is written. */
    private static String hostPort(String host, int port) {
        String h = NetworkTarget.bare(host);
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    private boolean allows(String host, InetAddress[] addresses, int port, String database) {
        return allowed.stream().anyMatch(a -> same(host, addresses, port, a)
                && (database == null ? a.database() == null : a.sameDatabase(database)));
    }

    private static InetAddress[] resolve(String host, int port) throws ConnectorException {
        if (!NetworkTarget.validHost(host)) {
            throw new ReachRefused(ReachRefused.Part.ADDRESS, "'" + host + "' is not a host name or an IP address");
        }
        if (port < 1 || port > 65535) {
            throw new ReachRefused(ReachRefused.Part.ADDRESS, "port " + port + " is not between 1 and 65535");
        }
        try {
            return InetAddress.getAllByName(NetworkTarget.bare(host));
        } catch (UnknownHostException e) {
            throw new ConnectorException(ConnectorException.Type.TRANSIENT, "host " + host + ":" + port
                    + " unreachable (the name does not resolve)");
        }
    }

    /** Same port, and the same address, or both this machine. */
    private static boolean same(String host, InetAddress[] addresses, int port, NetworkTarget target) {
        if (port != target.port()) {
            return false;
        }
        InetAddress[] theirs;
        try {
            theirs = InetAddress.getAllByName(target.host());
        } catch (UnknownHostException e) {
            // a platform host that does not resolve now (a container not up yet): refuse its name at least
            return target.host().equalsIgnoreCase(NetworkTarget.bare(host));
        }
        for (InetAddress a : addresses) {
            for (InetAddress b : theirs) {
                if (a.equals(b)) {
                    return true;
                }
            }
        }
        return Arrays.stream(addresses).anyMatch(ConnectorReach::local) && Arrays.stream(theirs).anyMatch(ConnectorReach::local);
    }

    /** This machine: loopback (127/8, ::1), the wildcard (0.0.0.0, ::), 0/8, and any address of a local interface. */
    static boolean local(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address && b[0] == 0) {
            return true;
        }
        if (a instanceof Inet6Address v6 && v6.isIPv4CompatibleAddress()) {
            try {
                return local(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
            } catch (UnknownHostException e) {
                return false;
            }
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** The path with every existing part's links resolved; a link to nothing is refused (writing it would follow it). */
    private static Path resolved(Path normal) throws ReachRefused {
        Deque<Path> rest = new ArrayDeque<>();
        Path existing = normal;
        while (existing.getParent() != null && !Files.exists(existing)) {
            if (Files.isSymbolicLink(existing)) {
                throw new ReachRefused(ReachRefused.Part.PATH, existing + " is a link to nothing");
            }
            rest.push(existing.getFileName());
            existing = existing.getParent();
        }
        try {
            Path real = existing.toRealPath();
            while (!rest.isEmpty()) {
                real = real.resolve(rest.pop());
            }
            return real;
        } catch (IOException e) {
            throw new ReachRefused(ReachRefused.Part.PATH, normal + " cannot be resolved: " + e.getMessage());
        }
    }

    private static Path real(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    /** Collects the platform's addresses, its databases, the admin's allowances and the files roots. */
    public static final class Builder {
        private NetworkTarget postgres;
        private final List<String> databases = new ArrayList<>();
        private final List<NetworkTarget> targets = new ArrayList<>();
        private final List<NetworkTarget> allowed = new ArrayList<>();
        private final List<Path> roots = new ArrayList<>();

        private Builder() { }

        /** The platform's PostgreSQL ({@code host:port}) and the databases on it that are Syncline's. */
        public Builder platformPostgres(String hostPort, Collection<String> platformDatabases) {
            this.postgres = NetworkTarget.parse(hostPort);
            this.databases.addAll(platformDatabases);
            return this;
        }

        /** The platform's other addresses ({@code host:port}): Kafka's broker and controller, the registry, each service. */
        public Builder platformTargets(Collection<String> hostPorts) {
            hostPorts.stream().map(NetworkTarget::parse).forEach(targets::add);
            return this;
        }

        /** What an admin allows although it is the platform's: {@code host:port} or {@code host:port/database}. */
        public Builder allowedTargets(Collection<String> hostPorts) {
            hostPorts.stream().map(NetworkTarget::parse).forEach(allowed::add);
            return this;
        }

        /** The folders connectors may read and write files under (absolute). */
        public Builder filesRoots(Collection<Path> folders) {
            for (Path f : folders) {
                if (!f.isAbsolute()) {
                    throw new IllegalArgumentException(ROOTS_SETTING + ": " + f + " is not an absolute path");
                }
                roots.add(f.normalize());
            }
            return this;
        }

        public ConnectorReach build() {
            return new ConnectorReach(this);
        }
    }
}

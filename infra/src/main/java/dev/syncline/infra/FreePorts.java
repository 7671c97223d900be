package dev.syncline.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on the loopback interface: nothing here assumes 8080, 9092 or 5432 is free.
 *
 * <p>Ports are drawn at random from outside the kernel's ephemeral range (on Linux
 * {@code /proc/sys/net/ipv4/ip_local_port_range}, usually 32768-60999). A port the kernel handed out for
 * {@code bind(0)} is an ephemeral one, and between the moment it is picked and the moment a server binds it,
 * any outgoing connection (a Kafka client, a JDBC pool) may take it as its local port: the server then fails
 * with "address already in use". Outside that range only a server binding that port explicitly can take it.
 */
public final class FreePorts {
    // ports handed out by this JVM: never hand the same one out twice before it is bound
    private static final Set<Integer> GIVEN = new HashSet<>();
    private static final int[] RANGE = nonEphemeralRange();

    private FreePorts() { }

    public static synchronized int pick() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(RANGE[0], RANGE[1] + 1);
            if (!GIVEN.contains(port) && isFreeStrict(port)) {
                GIVEN.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 in " + RANGE[0] + "-" + RANGE[1]
                + " after 1000 attempts");
    }

    /** {@code preferred} when it is set and free now, else a new free port. */
    public static synchronized int preferOrPick(int preferred) {
        if (preferred > 0 && isFree(preferred)) {
            GIVEN.add(preferred);
            return preferred;
        }
        return pick();
    }

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // no SO_REUSEADDR: a port still in TIME_WAIT from an earlier server counts as taken
    private static boolean isFreeStrict(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The widest port range below or above the ephemeral one, never below 10000 (well-known/registered services). */
    static int[] nonEphemeralRange() {
        int low = 32768;
        int high = 60999;
        try {
            // readAllLines, not readString: /proc files report size 0 and readString reads them short
            String[] parts = String.join(" ", Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))).trim().split("\\s+");
            low = Integer.parseInt(parts[0]);
            high = Integer.parseInt(parts[1]);
        } catch (IOException | RuntimeException e) {
            // not Linux (macOS: 49152-65535, Windows: 49152-65535): the default below still avoids both
            low = Math.min(low, 49152);
            high = Math.max(high, 65535);
        }
        int below = low - 1 - 10000;
        int above = 65535 - (high + 1);
        if (below >= above && below > 100) {
            return new int[] {10000, low - 1};
        }
        if (above > 100) {
            return new int[] {high + 1, 65535};
        }
        return new int[] {1024, 65535};
    }
}

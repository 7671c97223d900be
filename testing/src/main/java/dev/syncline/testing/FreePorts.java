package dev.syncline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free TCP ports on the loopback interface: nothing here assumes 8080, 9092 or 5432 is free. */
public final class FreePorts {
    // ports handed out by this JVM: never hand the same one out twice before it is bound
    private static final Set<Integer> GIVEN = new HashSet<>();

    private FreePorts() { }

    public static synchronized int pick() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = s.getLocalPort();
                if (GIVEN.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on 127.0.0.1", e);
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 after 100 attempts");
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
}

package dev.syncline.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void picksDistinctBindablePortsOutsideTheEphemeralRange() throws Exception {
        int[] ephemeral = {32768, 60999};
        try {
            String[] parts = String.join(" ", java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range")))
                    .trim().split("\\s+");
            ephemeral = new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (java.io.IOException e) {
            // not Linux: the defaults above
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = FreePorts.pick();
            assertTrue(port < ephemeral[0] || port > ephemeral[1], port + " is in the ephemeral range");
            assertTrue(seen.add(port), port + " handed out twice");
        }
        int port = FreePorts.pick();
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertEquals(port, s.getLocalPort());
        }
    }
}

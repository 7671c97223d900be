package dev.syncline.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

/**
 * How another shell asks the running launcher to act ({@code ./syncline restart <component>}): a Unix socket in a
 * folder of the data directory that only its owner may enter. One command a line; the launcher answers with lines of
 * progress and a last line {@value #DONE} or {@value #FAILED} and why. Commands run one at a time.
 */
final class ControlChannel implements AutoCloseable {
    static final String DONE = "done";
    static final String FAILED = "failed:";

    /** What the launcher does with a command; {@code say} sends a line of progress to the shell that asked. */
    interface Handler {
        void handle(String command, Consumer<String> say) throws Exception;
    }

    private final ServerSocketChannel server;
    private final Path socket;

    private ControlChannel(ServerSocketChannel server, Path socket) {
        this.server = server;
        this.socket = socket;
    }

    /** The socket of the stack in {@code dir}. */
    static Path socket(Path dir) {
        return dir.resolve("control").resolve("launcher.sock");
    }

    /**
     * A socket's address by the shorter of its absolute path and its path from the working directory: a Unix socket's
     * path has room for about 100 bytes, and a data folder may be deep.
     */
    private static UnixDomainSocketAddress address(Path socket) {
        Path absolute = socket.toAbsolutePath().normalize();
        Path relative;
        try {
            relative = Path.of("").toAbsolutePath().relativize(absolute);
        } catch (IllegalArgumentException e) {
            relative = absolute;
        }
        return UnixDomainSocketAddress.of(relative.toString().length() < absolute.toString().length() ? relative : absolute);
    }

    /** Opens the channel of the stack in {@code dir} (a socket left by a launcher that was killed is replaced). */
    static ControlChannel open(Path dir, Handler handler) {
        Path socket = socket(dir);
        try {
            Files.createDirectories(socket.getParent());
            try {
                // only the owner may enter the folder: no one else can connect, even before the socket exists
                Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.deleteIfExists(socket);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(address(socket));
            ControlChannel channel = new ControlChannel(server, socket);
            Thread.ofPlatform().name("launcher-control").daemon().start(() -> channel.serve(handler));
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the launcher's control socket " + socket + ": " + e.getMessage(), e);
        }
    }

    private void serve(Handler handler) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                answer(client, handler);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // that shell went away: the next may come
            }
        }
    }

    private static void answer(SocketChannel client, Handler handler) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
        OutputStream raw = Channels.newOutputStream(client);
        Consumer<String> say = line -> {
            try {
                raw.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                raw.flush();
            } catch (IOException e) {
                // the shell that asked went away: the command goes on
            }
        };
        String command = in.readLine();
        if (command == null) {
            return;
        }
        try {
            handler.handle(command.trim(), say);
            say.accept(DONE);
        } catch (Exception e) {
            say.accept(FAILED + " " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /**
     * Sends {@code command} to the launcher of the stack in {@code dir}, prints its progress on {@code out}; returns
     * 0 when it was done, 1 when it failed, 3 when no launcher answers.
     */
    static int send(Path dir, String command, PrintStream out) {
        try (SocketChannel channel = SocketChannel.open(address(socket(dir)))) {
            OutputStream o = Channels.newOutputStream(channel);
            o.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            o.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals(DONE)) {
                    return 0;
                }
                if (line.startsWith(FAILED)) {
                    out.println(line);
                    return 1;
                }
                out.println(line);
            }
            out.println("the launcher stopped before it answered");
            return 1;
        } catch (IOException e) {
            return 3;
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // the launcher is stopping: a socket left behind is replaced by the next start
        }
    }
}

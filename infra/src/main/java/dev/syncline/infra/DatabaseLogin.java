package dev.syncline.infra;

/** A PostgreSQL login role and its password. */
public record DatabaseLogin(String user, String password) {
    /** The {@code "username"} and {@code "password"} members of a postgres connector's JSON configuration. */
    public String configMembers() {
        // plain role names and URL-safe base64 passwords: nothing to escape
        return "\"username\":\"" + user + "\",\"password\":\"" + password + "\"";
    }

    /** Never the password: a login may end up in a log line or an assertion message. */
    @Override
    public String toString() {
        return "DatabaseLogin[" + user + "]";
    }
}

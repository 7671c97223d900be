package dev.syncline.stack;

import dev.syncline.apikeys.ApiKeys;
import dev.syncline.infra.OwnerOnlyFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two keys the launcher makes on first start and keeps with the data, each in an owner-only file: the first
 * admin API key ({@value #ADMIN}) and the credential the services' own calls carry ({@value #SERVICE}).
 */
final class ApiKeyFiles {
    static final String ADMIN = "admin.key";
    static final String SERVICE = "service.key";

    /** The keys, and whether this start made the admin key. */
    record Keys(String admin, String service, boolean adminIsNew) { }

    private ApiKeyFiles() { }

    static Keys load(Path dir) {
        boolean fresh = !Files.exists(dir.resolve(ADMIN));
        return new Keys(readOrCreate(dir.resolve(ADMIN)), readOrCreate(dir.resolve(SERVICE)), fresh);
    }

    private static String readOrCreate(Path file) {
        return OwnerOnlyFiles.readOrCreate(file, ApiKeys::generate);
    }
}

package io.github.ajsessions.ai;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.testkit.AjDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helpers for the chat memory adapters: stores on each of aj's file variants, rows, file hashes. */
public final class AiFiles {

    private AiFiles() {
    }

    /** The file variants a memory may meet: aj's three and the module's own. */
    public static Stream<SchemaVariant> variants() {
        return Stream.of(SchemaVariant.AJ_SESSIONS, SchemaVariant.AJ_INIT, SchemaVariant.DIESEL_CLI,
                SchemaVariant.DOCS_OPTION_C);
    }

    /** Opens a store on a new file of {@code variant} in {@code dir}. */
    public static SessionStore open(Path dir, SchemaVariant variant) {
        Path file = dir.resolve("aj.db");
        if (variant != SchemaVariant.AJ_SESSIONS) {
            AjDatabases.create(file, variant);
        }
        return SessionStore.open(file);
    }

    /** @return every row of the session as "role: content", aj's preamble included */
    public static List<String> rows(SessionStore store, String session) {
        return store.history(session).stream().map(AiFiles::text).toList();
    }

    private static String text(MessageRecord m) {
        return m.role().dbValue() + ": " + m.content();
    }

    /** The folder's files and their SHA-256: equal before and after means nothing was written. */
    public static Map<String, String> hashes(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                out.put(p.getFileName().toString(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}

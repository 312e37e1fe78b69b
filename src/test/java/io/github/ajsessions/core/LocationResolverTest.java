package io.github.ajsessions.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.DatabaseLocation.Access;
import io.github.ajsessions.core.DatabaseLocation.Source;
import io.github.ajsessions.core.LocationResolver.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aj's rules for finding aj.db, on all three platforms, run on any machine. */
class LocationResolverTest {

    @TempDir
    Path dir;

    private final Path home = Path.of("/home/ann");
    private final Path cwd = Path.of("/work/here");

    private LocationResolver linux(Map<String, String> env) {
        return new LocationResolver(Platform.LINUX, env, home, cwd);
    }

    private Path config(String yaml) throws Exception {
        return Files.writeString(dir.resolve("config.yaml"), yaml);
    }

    private Path noConfig() {
        return dir.resolve("absent.yaml");
    }

    @Test
    void linuxUsesAnAbsoluteXdgConfigHome() {
        DatabaseLocation l = linux(Map.of("XDG_CONFIG_HOME", "/xdg")).resolve(null, null);
        assertThat(l.file()).isEqualTo(Path.of("/xdg/aj/aj.db"));
        assertThat(l.source()).isEqualTo(Source.PLATFORM_DEFAULT);
        assertThat(l.ajConfigFile()).isEqualTo(Path.of("/xdg/aj/config.yaml"));
    }

    @Test
    void linuxFallsBackToDotConfigWhenXdgIsUnsetEmptyOrRelative() {
        for (Map<String, String> env : new Map[] {Map.of(), Map.of("XDG_CONFIG_HOME", ""),
                Map.of("XDG_CONFIG_HOME", "relative/cfg")}) {
            DatabaseLocation l = linux(env).resolve(null, null);
            assertThat(l.file()).as("%s", env).isEqualTo(Path.of("/home/ann/.config/aj/aj.db"));
            assertThat(l.ajConfigFile()).isEqualTo(Path.of("/home/ann/.config/aj/config.yaml"));
        }
    }

    @Test
    void macosUsesApplicationSupport() {
        LocationResolver mac = new LocationResolver(Platform.MACOS, Map.of("XDG_CONFIG_HOME", "/xdg"), home, cwd);
        assertThat(mac.resolve(null, null).file())
                .isEqualTo(Path.of("/home/ann/Library/Application Support/com.awful-sec.aj/aj.db"));
    }

    @Test
    void windowsUsesAppData() {
        LocationResolver win = new LocationResolver(Platform.WINDOWS, Map.of("APPDATA", "/roaming"), home, cwd);
        assertThat(win.resolve(null, null).file()).isEqualTo(Path.of("/roaming/awful-sec/aj/config/aj.db"));
        assertThat(win.defaultConfigFile()).isEqualTo(Path.of("/roaming/awful-sec/aj/config/config.yaml"));
        LocationResolver noAppData = new LocationResolver(Platform.WINDOWS, Map.of(), home, cwd);
        assertThat(noAppData.resolve(null, null).file())
                .isEqualTo(Path.of("/home/ann/AppData/Roaming/awful-sec/aj/config/aj.db"));
    }

    @Test
    void anExplicitPathOrUrlWinsOverEverything() throws Exception {
        Path cfg = config("session_db_url: /from/config.db\n");
        LocationResolver r = linux(Map.of());
        assertThat(r.resolve("/abs/aj.db", cfg)).isEqualTo(new DatabaseLocation(Path.of("/abs/aj.db"), Source.EXPLICIT,
                cfg));
        assertThat(r.resolve("rel/aj.db", cfg).file()).isEqualTo(Path.of("/work/here/rel/aj.db"));
        assertThat(r.resolve("jdbc:sqlite:/abs/aj.db", cfg).file()).isEqualTo(Path.of("/abs/aj.db"));
        assertThat(r.resolve("jdbc:sqlite:rel.db", cfg).file()).isEqualTo(Path.of("/work/here/rel.db"));
        assertThat(r.resolve("file:/abs/aj.db", cfg).file()).isEqualTo(Path.of("/abs/aj.db"));
        assertThat(r.resolve("file:///abs/my%20aj.db?mode=rwc", cfg).file()).isEqualTo(Path.of("/abs/my aj.db"));
        assertThat(r.resolve("file://localhost/abs/aj.db", cfg).file()).isEqualTo(Path.of("/abs/aj.db"));
        assertThat(r.resolve("jdbc:sqlite:file:/abs/a+b.db", cfg).file()).isEqualTo(Path.of("/abs/a+b.db"));
        assertThatThrownBy(() -> r.resolve("file://server/share/aj.db", cfg))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remote host 'server'");
        assertThatThrownBy(() -> r.resolve("jdbc:sqlite::memory:", cfg))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in-memory database");
    }

    @Nested
    class HomeIsReadAsAjReadsIt {

        @Test
        void homeFromTheEnvironmentWinsOverTheAccountsHome() {
            DatabaseLocation l = linux(Map.of("HOME", "/elsewhere")).resolve(null, null);
            assertThat(l.file()).isEqualTo(Path.of("/elsewhere/.config/aj/aj.db"));
            assertThat(l.ajConfigFile()).isEqualTo(Path.of("/elsewhere/.config/aj/config.yaml"));
            LocationResolver mac = new LocationResolver(Platform.MACOS, Map.of("HOME", "/elsewhere"), home, cwd);
            assertThat(mac.resolve(null, null).file())
                    .isEqualTo(Path.of("/elsewhere/Library/Application Support/com.awful-sec.aj/aj.db"));
        }

        @Test
        void anAbsoluteXdgConfigHomeStillWinsOverHome() {
            assertThat(linux(Map.of("HOME", "/elsewhere", "XDG_CONFIG_HOME", "/xdg")).resolve(null, null).file())
                    .isEqualTo(Path.of("/xdg/aj/aj.db"));
            assertThat(linux(Map.of("HOME", "/elsewhere", "XDG_CONFIG_HOME", "rel")).resolve(null, null).file())
                    .isEqualTo(Path.of("/elsewhere/.config/aj/aj.db"));
        }

        @Test
        void anEmptyHomeFallsBackToTheAccountsHome() {
            assertThat(linux(Map.of("HOME", "")).resolve(null, null).file())
                    .isEqualTo(Path.of("/home/ann/.config/aj/aj.db"));
        }

        @Test
        void homeWithDotDotIsNormalisedAndWindowsIgnoresHome() {
            assertThat(linux(Map.of("HOME", "/elsewhere/../other")).resolve(null, null).file())
                    .isEqualTo(Path.of("/other/.config/aj/aj.db"));
            LocationResolver win = new LocationResolver(Platform.WINDOWS, Map.of("HOME", "/elsewhere"), home, cwd);
            assertThat(win.resolve(null, null).file())
                    .isEqualTo(Path.of("/home/ann/AppData/Roaming/awful-sec/aj/config/aj.db"));
        }

        @Test
        void thisProcessesResolverTakesAnInjectedEnvironment() {
            assertThat(LocationResolver.forEnvironment(Map.of("HOME", "/injected")).resolve(null, null).file())
                    .isEqualTo(Path.of("/injected/.config/aj/aj.db"));
        }
    }

    @Nested
    class UrlParametersAreHonouredOrRefused {

        @Test
        void modeRoRwAndRwcAreHonoured() throws Exception {
            Path cfg = noConfig();
            LocationResolver r = linux(Map.of());
            assertThat(r.resolve("file:ro.db?mode=ro", cfg)).extracting(DatabaseLocation::file, DatabaseLocation::access)
                    .containsExactly(Path.of("/work/here/ro.db"), Access.READ_ONLY);
            assertThat(r.resolve("jdbc:sqlite:file:/abs/aj.db?mode=ro", cfg).access()).isEqualTo(Access.READ_ONLY);
            assertThat(r.resolve("file:/abs/aj.db?mode=rw", cfg).access()).isEqualTo(Access.READ_WRITE);
            assertThat(r.resolve("file:/abs/aj.db?mode=rwc", cfg).access()).isEqualTo(Access.READ_WRITE_CREATE);
            assertThat(r.resolve("file:/abs/aj.db", cfg).access()).isEqualTo(Access.READ_WRITE_CREATE);
            assertThat(r.resolve("/abs/aj.db", cfg).access()).isEqualTo(Access.READ_WRITE_CREATE);
            // the last mode wins, as in SQLite; a fragment is not a parameter
            assertThat(r.resolve("file:/abs/aj.db?mode=rw&mode=ro#x", cfg).access()).isEqualTo(Access.READ_ONLY);
        }

        @Test
        void modeRoInAjsConfigIsHonouredToo() throws Exception {
            DatabaseLocation l = linux(Map.of()).resolve(null, config("session_db_url: \"file:/data/ro.db?mode=ro\"\n"));
            assertThat(l.file()).isEqualTo(Path.of("/data/ro.db"));
            assertThat(l.access()).isEqualTo(Access.READ_ONLY);
            assertThatThrownBy(() -> l.requireWritable("delete")).isInstanceOf(DatabaseFileException.class)
                    .hasMessage("database /data/ro.db was given read-only (mode=ro): delete writes to it and was refused");
        }

        @Test
        void unknownParametersAreRefusedByName() {
            LocationResolver r = linux(Map.of());
            assertThatThrownBy(() -> r.resolve("file:/abs/aj.db?cache=shared&mode=ro&immutable=1", noConfig()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the given database 'file:/abs/aj.db?cache=shared&mode=ro&immutable=1' has URL"
                            + " parameters this module does not honour: cache=shared, immutable=1 (only mode=ro,"
                            + " mode=rw and mode=rwc are)");
            assertThatThrownBy(() -> r.resolve("file:/abs/aj.db?mode=bogus", noConfig()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("honour: mode=bogus");
            assertThatThrownBy(() -> r.resolve("jdbc:sqlite:/abs/aj.db?busy_timeout=100&foreign_keys=off", noConfig()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has sqlite-jdbc settings this module does not honour: busy_timeout=100,"
                            + " foreign_keys=off");
        }

        @Test
        void unknownParametersInAjsConfigAreRefusedNamingTheConfig() throws Exception {
            Path cfg = config("session_db_url: \"file:/data/x.db?vfs=unix-none\"\n");
            assertThatThrownBy(() -> linux(Map.of()).resolve(null, cfg)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("session_db_url in " + cfg + " 'file:/data/x.db?vfs=unix-none' has URL"
                            + " parameters this module does not honour: vfs=unix-none");
        }
    }

    @Test
    void sessionDbUrlFromAjsConfigIsUsedVerbatim() throws Exception {
        LocationResolver r = linux(Map.of());
        assertThat(r.resolve(null, config("api_key: k\nsession_db_url: /data/aj.db\n")))
                .extracting(DatabaseLocation::file, DatabaseLocation::source)
                .containsExactly(Path.of("/data/aj.db"), Source.AJ_CONFIG);
        // relative to the working directory, no ~ expansion, file: URLs accepted
        assertThat(r.resolve(null, config("session_db_url: sessions/aj.db\n")).file())
                .isEqualTo(Path.of("/work/here/sessions/aj.db"));
        assertThat(r.resolve(null, config("session_db_url: ~/aj.db\n")).file()).isEqualTo(Path.of("/work/here/~/aj.db"));
        assertThat(r.resolve(null, config("session_db_url: \"file:/data/x.db\"\n")).file())
                .isEqualTo(Path.of("/data/x.db"));
    }

    @Test
    void anEmptyOrMissingSessionDbUrlOrConfigMeansTheDefault() throws Exception {
        LocationResolver r = linux(Map.of("XDG_CONFIG_HOME", "/xdg"));
        for (String yaml : new String[] {"session_db_url: \"\"\n", "session_db_url:\n", "api_key: k\n", ""}) {
            Path cfg = config(yaml);
            DatabaseLocation l = r.resolve(null, cfg);
            assertThat(l.file()).as(yaml).isEqualTo(Path.of("/xdg/aj/aj.db"));
            assertThat(l.source()).isEqualTo(Source.PLATFORM_DEFAULT);
            assertThat(l.describe()).isEqualTo("/xdg/aj/aj.db (aj's default; " + cfg + " sets no session_db_url)");
        }
        assertThat(r.resolve(null, noConfig()).file()).isEqualTo(Path.of("/xdg/aj/aj.db"));
    }

    @Test
    void theDefaultConfigFileOfThePlatformIsRead() throws Exception {
        Path ajDir = Files.createDirectories(dir.resolve("xdg/aj"));
        Files.writeString(ajDir.resolve("config.yaml"), "session_db_url: /elsewhere/aj.db\n");
        DatabaseLocation l = linux(Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString())).resolve(null, null);
        assertThat(l.file()).isEqualTo(Path.of("/elsewhere/aj.db"));
        assertThat(l.describe()).isEqualTo("/elsewhere/aj.db (from session_db_url in " + ajDir.resolve("config.yaml")
                + ")");
    }

    @Test
    void malformedYamlIsReportedWithTheFile() throws Exception {
        Path cfg = config("api_key: [unclosed\nsession_db_url: x\n");
        assertThatThrownBy(() -> linux(Map.of()).resolve(null, cfg)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read aj's config " + cfg + ": ");
        Path list = config("- a\n- b\n");
        assertThatThrownBy(() -> linux(Map.of()).resolve(null, list)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("aj's config " + list + " is not a YAML mapping");
        Path number = config("session_db_url: 42\n");
        assertThatThrownBy(() -> linux(Map.of()).resolve(null, number)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("session_db_url in " + number + " must be a string, was 42");
    }

    @Test
    void aFileCreatedByTheModuleIsOwnerOnly() throws Exception {
        Path file = dir.resolve("new.db");
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file)
                .journalMode(StoreConfig.JournalMode.WAL).build())) {
            store.findOrCreateSession("s");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            // SQLite gives its side files the main file's permissions
            Path wal = dir.resolve("new.db-wal");
            assertThat(wal).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal))).isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}

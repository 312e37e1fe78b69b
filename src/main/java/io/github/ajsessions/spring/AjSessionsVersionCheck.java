package io.github.ajsessions.spring;

import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fails the start of an application on a Spring Boot or Hibernate this module does not support, with one
 * message naming the supported versions, before anything touches aj's file. Without it, Spring Boot 3.5
 * fails later and obscurely (its Flyway refusing aj's schema, then {@code NoClassDefFoundError} of a
 * Hibernate 7 class). Runs first, as an {@link ApplicationContextInitializer}, and only uses classes
 * that every Spring Boot has. {@code aj.sessions.enabled=false} turns it off with the rest.
 */
public class AjSessionsVersionCheck implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** What this module supports, as the failure names it. */
    public static final String SUPPORTED = "Spring Boot 4.0 or later with Hibernate ORM 7.1 or later"
            + " (Jakarta Persistence 3.2)";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (!context.getEnvironment().getProperty(AjSessionsProperties.PREFIX + ".enabled", Boolean.class, true)) {
            return;
        }
        String problem = problem(SpringBootVersion.getVersion(), hibernateVersion());
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /** @return the failure message for these versions, or {@code null} when they are supported */
    static String problem(String boot, String hibernate) {
        boolean bootOk = boot == null || major(boot) >= 4;
        boolean hibernateOk = hibernate == null || major(hibernate) > 7
                || (major(hibernate) == 7 && minor(hibernate) >= 1);
        if (bootOk && hibernateOk) {
            return null;
        }
        return "aj-sessions supports " + SUPPORTED + "; this application runs Spring Boot " + boot + " with Hibernate ORM "
                + hibernate + ". Upgrade to Spring Boot 4.0, or set aj.sessions.enabled=false to leave aj-sessions"
                + " out of the Spring configuration";
    }

    private static String hibernateVersion() {
        try {
            Class<?> version = Class.forName("org.hibernate.Version", false,
                    AjSessionsVersionCheck.class.getClassLoader());
            return (String) version.getMethod("getVersionString").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static int major(String version) {
        return part(version, 0);
    }

    private static int minor(String version) {
        return part(version, 1);
    }

    private static int part(String version, int index) {
        String[] parts = version.split("[.\\-]");
        try {
            return parts.length > index ? Integer.parseInt(parts[index]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

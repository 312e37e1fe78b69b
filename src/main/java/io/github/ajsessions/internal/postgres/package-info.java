/** The PostgreSQL backend: URL and credentials, pool, the module's own migrations, errors, sync and pull. */
package io.github.ajsessions.internal.postgres;
